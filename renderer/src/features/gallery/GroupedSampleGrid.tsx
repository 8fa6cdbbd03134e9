import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SampleGroup } from '../../../../preload/contract';
import { rowsBetween, type GroupLayout, type LayoutRow } from './groupLayout';

/** Pixels rendered beyond each edge, so a fast scroll does not show blanks (about 3 tile rows). */
const OVERSCAN_PX = 540;

/** Scroll events this close together, each moving more than a screen, are a race through the grid. */
const RACE_EVENT_GAP_MS = 100;
/** The race is over when the grid has not scrolled for this long; then the tiles render. */
const RACE_SETTLE_MS = 150;
/**
 * Scrolling faster than this (three screens a second), two events running, is a glide (a wheel
 * flick): tiles render but request no images until the scroll settles, as a row is on screen for
 * a tenth of a second and its image requests are what the server and the renderer spent it on.
 */
const GLIDE_PX_PER_MS = 3;

interface RowLook {
  headerHeight: number;
  columns: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  renderHeader: (group: SampleGroup, start: number) => ReactNode;
  renderCell: (index: number, deferImages: boolean) => ReactNode;
}

/**
 * One header or tile row. Memoised: a scroll renders the rows that come on screen, not all of
 * them again (the row objects are the layout's, so an unchanged row has unchanged props).
 */
const GridRow = memo(function GridRow({
  row,
  look,
  racing,
  gliding,
}: {
  row: LayoutRow;
  look: RowLook;
  /** Tiles as plain placeholders: the row is passed in a frame or two, its tiles never seen. */
  racing: boolean;
  /** Tiles without their images (those already requested stay): the row only passes by. */
  gliding: boolean;
}) {
  const position = { position: 'absolute', top: row.top, left: 0, right: 0 } as const;
  if (row.kind === 'header') {
    return (
      <div style={{ ...position, height: look.headerHeight }}>
        {look.renderHeader(row.group, row.start)}
      </div>
    );
  }
  const cells: ReactNode[] = [];
  for (let i = row.start; i < row.end; i++) {
    cells.push(
      racing ? (
        <div key={`racing-${i}`} style={{ height: look.cellHeight, ...RACING_CELL }} />
      ) : (
        look.renderCell(i, gliding)
      ),
    );
  }
  return (
    <div
      style={{
        ...position,
        height: look.cellHeight,
        display: 'grid',
        gridTemplateColumns: `repeat(${look.columns}, ${look.cellWidth}px)`,
        gap: look.gap,
      }}
    >
      {cells}
    </div>
  );
});

const RACING_CELL = { borderRadius: 6, background: 'var(--mantine-color-gray-1)' } as const;

/** The rows overlapping the viewport and its overscan: [first, end) into `layout.rows`. */
function rowsAround(layout: GroupLayout, scrollTop: number, height: number): [number, number] {
  return rowsBetween(layout, scrollTop - OVERSCAN_PX, scrollTop + height + OVERSCAN_PX);
}

/**
 * The gallery's scrolling grid: only the rows on screen are rendered, header rows and tile rows
 * alike, at the tops `layout` gives them, so 20,000 samples in 1,250 groups cost what 60 do.
 * The grid re-renders only when the range of rows on screen changes, and then only the rows
 * that came into it; racing through the grid, it renders placeholders until the scroll settles.
 */
export function GroupedSampleGrid({
  layout,
  cellWidth,
  cellHeight,
  gap,
  height,
  renderHeader,
  renderCell,
  onRangeChange,
  testId,
}: {
  layout: GroupLayout;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  height: number;
  renderHeader: (group: SampleGroup, start: number) => ReactNode;
  /** `deferImages`: the grid is gliding, the tile should not request its image yet. */
  renderCell: (index: number, deferImages: boolean) => ReactNode;
  /** The sample indices rendered now [start, end), for fetching what they need. */
  onRangeChange?: (start: number, end: number) => void;
  testId?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  // Racing: scrolled more than a screen per event, twice running (a dragged scroll bar, a hard
  // flick), so each row is on screen for a frame or two. Rows then render placeholders and no
  // pages are fetched, the tiles and their images come when the scroll settles: mounting 40 tiles
  // and their image requests a frame is what made those frames long. One jump (End, a click on
  // the scroll track) is no race and renders at once.
  const [racing, setRacing] = useState(false);
  const [gliding, setGliding] = useState(false);
  const lastScroll = useRef({ top: 0, time: 0, far: false, fast: false });
  const settle = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(
    () => () => {
      if (settle.current) clearTimeout(settle.current);
    },
    [],
  );
  // The scroll position rounded to the rows it shows: a scroll within a row sets the same state,
  // which React skips (the overscan covers the part of a row this leaves out).
  const [first, end] = rowsAround(layout, scrollTop, height);
  const onScroll = (top: number) => {
    const now = performance.now();
    const last = lastScroll.current;
    const moved = Math.abs(top - last.top);
    const far = moved > height && now - last.time < RACE_EVENT_GAP_MS;
    const fast = moved > GLIDE_PX_PER_MS * Math.max(1, now - last.time);
    lastScroll.current = { top, time: now, far, fast };
    if ((far && last.far) || (fast && last.fast)) {
      if (far && last.far) setRacing(true);
      setGliding(true);
      if (settle.current) clearTimeout(settle.current);
      settle.current = setTimeout(() => {
        setRacing(false);
        setGliding(false);
        setScrollTop(lastScroll.current.top);
      }, RACE_SETTLE_MS);
    }
    const [nextFirst, nextEnd] = rowsAround(layout, top, height);
    if (nextFirst !== first || nextEnd !== end) setScrollTop(top);
  };

  // One object for the rows' shared props, new only when one of them changes (a page of samples
  // arrived, the focus or a mark moved): then every row renders again, and the tiles, memoised,
  // skip unless their own props changed.
  const { headerHeight, columns } = layout;
  const look = useMemo<RowLook>(
    () => ({ headerHeight, columns, cellWidth, cellHeight, gap, renderHeader, renderCell }),
    [headerHeight, columns, cellWidth, cellHeight, gap, renderHeader, renderCell],
  );

  let startIndex = layout.count;
  let endIndex = 0;
  const rows: ReactNode[] = [];
  for (let r = first; r < end; r++) {
    const row = layout.rows[r]!;
    if (row.kind === 'tiles') {
      startIndex = Math.min(startIndex, row.start);
      endIndex = Math.max(endIndex, row.end);
    }
    rows.push(
      <GridRow
        key={row.kind === 'header' ? `h${row.start}` : `t${row.start}`}
        row={row}
        look={look}
        racing={racing}
        gliding={gliding}
      />,
    );
  }
  if (endIndex < startIndex) startIndex = endIndex;

  useEffect(() => {
    if (!racing) onRangeChange?.(startIndex, endIndex);
  }, [onRangeChange, startIndex, endIndex, racing]);

  return (
    <div
      data-testid={testId}
      data-count={layout.count}
      data-rendered={endIndex - startIndex}
      onScroll={(e) => onScroll(e.currentTarget.scrollTop)}
      style={{ height, overflowY: 'auto', position: 'relative', contain: 'content' }}
    >
      <div style={{ height: layout.totalHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
