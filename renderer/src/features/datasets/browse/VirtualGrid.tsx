import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { columnsFor, visibleWindow } from './virtualWindow';

const OVERSCAN_ROWS = 3;

/**
 * A scrolling grid that renders only the rows on screen, so 20,000 items cost what 60 do. Cells
 * are fixed-size; with `cellWidth` null every row is one full-width cell (a list).
 */
export function VirtualGrid({
  count,
  cellWidth,
  cellHeight,
  gap = 8,
  height,
  renderCell,
  onRangeChange,
  testId,
}: {
  count: number;
  cellWidth: number | null;
  cellHeight: number;
  gap?: number;
  height: number;
  renderCell: (index: number) => ReactNode;
  /** The indices rendered now [start, end), for fetching what they need. */
  onRangeChange?: (start: number, end: number) => void;
  testId?: string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(0);
  const [scrollTop, setScrollTop] = useState(0);

  useLayoutEffect(() => {
    const element = scroller.current;
    if (!element) return;
    setWidth(element.clientWidth);
    const observer = new ResizeObserver(() => setWidth(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  const columns = cellWidth === null ? 1 : columnsFor(width, cellWidth, gap);
  const rowHeight = cellHeight + gap;
  const win = visibleWindow({
    scrollTop,
    viewportHeight: height,
    rowHeight,
    columns,
    count,
    overscan: OVERSCAN_ROWS,
  });

  const { startIndex, endIndex } = win;
  useEffect(() => {
    onRangeChange?.(startIndex, endIndex);
  }, [onRangeChange, startIndex, endIndex]);

  const rows: ReactNode[] = [];
  for (let row = win.firstRow; row < win.endRow; row++) {
    const cells: ReactNode[] = [];
    for (let i = row * columns; i < Math.min(count, (row + 1) * columns); i++) {
      cells.push(renderCell(i));
    }
    rows.push(
      <div
        key={row}
        style={{
          position: 'absolute',
          top: row * rowHeight,
          left: 0,
          right: 0,
          height: cellHeight,
          display: 'grid',
          gridTemplateColumns: cellWidth === null ? '1fr' : `repeat(${columns}, ${cellWidth}px)`,
          gap,
        }}
      >
        {cells}
      </div>,
    );
  }

  return (
    <div
      ref={scroller}
      data-testid={testId}
      data-count={count}
      data-rendered={endIndex - startIndex}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ height, overflowY: 'auto', position: 'relative', contain: 'content' }}
    >
      <div style={{ height: win.totalHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
