import { describe, expect, it } from 'vitest';
import { columnsFor, pagesCovering, visibleWindow } from './virtualWindow';

describe('the windowed grid', () => {
  it('fits as many columns as the width holds, at least one', () => {
    expect(columnsFor(1000, 96, 8)).toBe(9);
    expect(columnsFor(50, 96, 8)).toBe(1);
  });

  it('renders only the rows on screen plus the overscan, for 20,000 items', () => {
    const w = visibleWindow({
      scrollTop: 104 * 500,
      viewportHeight: 520,
      rowHeight: 104,
      columns: 10,
      count: 20_000,
      overscan: 2,
    });
    expect(w).toEqual({
      firstRow: 498,
      endRow: 507,
      startIndex: 4980,
      endIndex: 5070,
      totalHeight: 2000 * 104,
    });
  });

  it('clamps at both ends and handles an empty list', () => {
    const top = visibleWindow({
      scrollTop: 0,
      viewportHeight: 300,
      rowHeight: 100,
      columns: 4,
      count: 10,
      overscan: 3,
    });
    expect([top.firstRow, top.endRow, top.startIndex, top.endIndex]).toEqual([0, 3, 0, 10]);
    const empty = visibleWindow({
      scrollTop: 0,
      viewportHeight: 300,
      rowHeight: 100,
      columns: 4,
      count: 0,
      overscan: 3,
    });
    expect([empty.startIndex, empty.endIndex, empty.totalHeight]).toEqual([0, 0, 0]);
  });

  it('lists the pages a range needs', () => {
    expect(pagesCovering(190, 410, 200)).toEqual([0, 1, 2]);
    expect(pagesCovering(0, 200, 200)).toEqual([0]);
    expect(pagesCovering(5, 5, 200)).toEqual([]);
  });
});
