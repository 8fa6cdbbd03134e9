// The arithmetic of the gallery's grouped grid: a header row per (run, step) group, then the
// group's samples in rows of `columns` (a group starts on a new row), so the rows on screen, the
// row of a sample and the sample above or below are found by binary search, whatever the count.
import type { SampleGroup } from '../../../../preload/contract';

export interface HeaderRow {
  kind: 'header';
  top: number;
  group: SampleGroup;
  /** The index of the group's first sample. */
  start: number;
}

export interface TileRow {
  kind: 'tiles';
  top: number;
  /** Sample indices [start, end) of this row. */
  start: number;
  end: number;
  /** The first row of its group (just below the header). */
  firstOfGroup: boolean;
}

export type LayoutRow = HeaderRow | TileRow;

export interface GroupLayout {
  rows: LayoutRow[];
  /** Indices into `rows` of the tile rows, in sample order. */
  tileRows: number[];
  columns: number;
  count: number;
  headerHeight: number;
  tileRowHeight: number;
  totalHeight: number;
}

export function groupLayout(
  groups: readonly SampleGroup[],
  columns: number,
  { headerHeight, tileRowHeight }: { headerHeight: number; tileRowHeight: number },
): GroupLayout {
  const perRow = Math.max(1, columns);
  const rows: LayoutRow[] = [];
  const tileRows: number[] = [];
  let top = 0;
  let start = 0;
  for (const group of groups) {
    rows.push({ kind: 'header', top, group, start });
    top += headerHeight;
    const end = start + group.count;
    for (let rowStart = start; rowStart < end; rowStart += perRow) {
      tileRows.push(rows.length);
      rows.push({
        kind: 'tiles',
        top,
        start: rowStart,
        end: Math.min(end, rowStart + perRow),
        firstOfGroup: rowStart === start,
      });
      top += tileRowHeight;
    }
    start = end;
  }
  return {
    rows,
    tileRows,
    columns: perRow,
    count: start,
    headerHeight,
    tileRowHeight,
    totalHeight: top,
  };
}

/** The rows that overlap [top, bottom): indices [first, end) into `layout.rows`. */
export function rowsBetween(layout: GroupLayout, top: number, bottom: number): [number, number] {
  const { rows } = layout;
  // The last row starting at or above `top`.
  let lo = 0;
  let hi = rows.length - 1;
  let first = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.top <= top) {
      first = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  let end = first;
  while (end < rows.length && rows[end]!.top < bottom) end++;
  return [first, Math.max(first, end)];
}

/** The position in `layout.tileRows` of the tile row holding sample `index` (clamped). */
export function tileRowOf(layout: GroupLayout, index: number): number {
  const { rows, tileRows } = layout;
  let lo = 0;
  let hi = tileRows.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((rows[tileRows[mid]!] as TileRow).start <= index) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function tileRowAt(layout: GroupLayout, position: number): TileRow | undefined {
  const row = layout.rows[layout.tileRows[position]!];
  return row?.kind === 'tiles' ? row : undefined;
}

/**
 * The sample a row above (-1) or below (+1) `index`, in the same column or the last of a shorter
 * row, across a group's header; `index` itself at the first or last row.
 */
export function verticalNeighbour(layout: GroupLayout, index: number, direction: -1 | 1): number {
  const position = tileRowOf(layout, index);
  const row = tileRowAt(layout, position);
  const target = tileRowAt(layout, position + direction);
  if (!row || !target) return index;
  return Math.min(target.start + (index - row.start), target.end - 1);
}
