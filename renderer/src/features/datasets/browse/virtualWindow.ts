// The arithmetic of a windowed grid: which rows are on screen (plus a margin), so that only those
// are rendered whatever the item count.

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  columns: number;
  count: number;
  /** Rows rendered beyond each edge, so a fast scroll does not show blanks. */
  overscan: number;
}

export interface VisibleWindow {
  firstRow: number;
  /** Exclusive. */
  endRow: number;
  startIndex: number;
  /** Exclusive. */
  endIndex: number;
  totalHeight: number;
}

export function columnsFor(width: number, cellWidth: number, gap: number): number {
  return Math.max(1, Math.floor((width + gap) / (cellWidth + gap)));
}

export function visibleWindow(input: WindowInput): VisibleWindow {
  const { scrollTop, viewportHeight, rowHeight, columns, count, overscan } = input;
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const endRow = Math.min(rows, Math.ceil((scrollTop + viewportHeight) / rowHeight) + overscan);
  return {
    firstRow,
    endRow: Math.max(firstRow, endRow),
    startIndex: Math.min(count, firstRow * columns),
    endIndex: Math.min(count, Math.max(firstRow, endRow) * columns),
    totalHeight: rows * rowHeight,
  };
}

/** The pages of `pageSize` items that hold indices [start, end). */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end <= start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(start / pageSize); p <= Math.floor((end - 1) / pageSize); p++) {
    pages.push(p);
  }
  return pages;
}
