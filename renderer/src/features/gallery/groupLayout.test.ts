import { describe, expect, it } from 'vitest';
import type { SampleGroup } from '../../../../preload/contract';
import { groupLayout, rowsBetween, tileRowAt, tileRowOf, verticalNeighbour } from './groupLayout';

const group = (runId: number, step: number, count: number): SampleGroup => ({
  runId,
  runName: null,
  step,
  count,
  family: 'conv-vae',
  presetId: 'conv-vae-tiny',
  datasetName: 'digits',
  versionNumber: 1,
  evaluation: null,
});

// Three groups of 5, 2 and 4 samples in rows of 3: header, 3+2 | header, 2 | header, 3+1.
const layout = groupLayout([group(2, 40, 5), group(2, 20, 2), group(1, 40, 4)], 3, {
  headerHeight: 30,
  tileRowHeight: 100,
});

describe('groupLayout', () => {
  it('puts a header before each group and starts every group on a new row', () => {
    expect(
      layout.rows.map((r) => (r.kind === 'header' ? `h${r.start}` : `${r.start}-${r.end}`)),
    ).toEqual(['h0', '0-3', '3-5', 'h5', '5-7', 'h7', '7-10', '10-11']);
    expect(layout.rows.map((r) => r.top)).toEqual([0, 30, 130, 230, 260, 360, 390, 490]);
    expect(layout.totalHeight).toBe(590);
    expect(layout.count).toBe(11);
  });

  it('finds the rows on screen and the row of a sample', () => {
    expect(rowsBetween(layout, 0, 30)).toEqual([0, 1]);
    expect(rowsBetween(layout, 140, 265)).toEqual([2, 5]);
    expect(rowsBetween(layout, 560, 900)).toEqual([7, 8]);
    expect(tileRowAt(layout, tileRowOf(layout, 4))).toMatchObject({ start: 3, end: 5 });
    expect(tileRowAt(layout, tileRowOf(layout, 7))).toMatchObject({ start: 7, firstOfGroup: true });
  });

  it('moves up and down a row across group headers, keeping the column where it can', () => {
    expect(verticalNeighbour(layout, 2, 1)).toBe(4); // column 3 → the last of a row of two
    expect(verticalNeighbour(layout, 4, 1)).toBe(6); // over the header into the next group
    expect(verticalNeighbour(layout, 6, 1)).toBe(8);
    expect(verticalNeighbour(layout, 8, -1)).toBe(6);
    expect(verticalNeighbour(layout, 5, -1)).toBe(3);
    expect(verticalNeighbour(layout, 1, -1)).toBe(1); // first row: stays
    expect(verticalNeighbour(layout, 10, 1)).toBe(10); // last row: stays
  });
});
