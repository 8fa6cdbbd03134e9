import { useEffect, useState, type ReactNode } from 'react';
import type { SampleGroup } from '../../../../preload/contract';
import { rowsBetween, type GroupLayout } from './groupLayout';

/** Pixels rendered beyond each edge, so a fast scroll does not show blanks (about 3 tile rows). */
const OVERSCAN_PX = 540;

/**
 * The gallery's scrolling grid: only the rows on screen are rendered, header rows and tile rows
 * alike, at the tops `layout` gives them, so 20,000 samples in 1,250 groups cost what 60 do.
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
  renderCell: (index: number) => ReactNode;
  /** The sample indices rendered now [start, end), for fetching what they need. */
  onRangeChange?: (start: number, end: number) => void;
  testId?: string;
}) {
  const [scrollTop, setScrollTop] = useState(0);
  const [first, end] = rowsBetween(
    layout,
    scrollTop - OVERSCAN_PX,
    scrollTop + height + OVERSCAN_PX,
  );

  let startIndex = layout.count;
  let endIndex = 0;
  const rows: ReactNode[] = [];
  for (let r = first; r < end; r++) {
    const row = layout.rows[r]!;
    const position = { position: 'absolute', top: row.top, left: 0, right: 0 } as const;
    if (row.kind === 'header') {
      rows.push(
        <div key={`h${row.start}`} style={{ ...position, height: layout.headerHeight }}>
          {renderHeader(row.group, row.start)}
        </div>,
      );
      continue;
    }
    startIndex = Math.min(startIndex, row.start);
    endIndex = Math.max(endIndex, row.end);
    const cells: ReactNode[] = [];
    for (let i = row.start; i < row.end; i++) cells.push(renderCell(i));
    rows.push(
      <div
        key={`t${row.start}`}
        style={{
          ...position,
          height: cellHeight,
          display: 'grid',
          gridTemplateColumns: `repeat(${layout.columns}, ${cellWidth}px)`,
          gap,
        }}
      >
        {cells}
      </div>,
    );
  }
  if (endIndex < startIndex) startIndex = endIndex;

  useEffect(() => {
    onRangeChange?.(startIndex, endIndex);
  }, [onRangeChange, startIndex, endIndex]);

  return (
    <div
      data-testid={testId}
      data-count={layout.count}
      data-rendered={endIndex - startIndex}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
      style={{ height, overflowY: 'auto', position: 'relative', contain: 'content' }}
    >
      <div style={{ height: layout.totalHeight, position: 'relative' }}>{rows}</div>
    </div>
  );
}
