import { describe, expect, it } from 'vitest';
import { cellDataCopying } from './dataCopying';
import { selectRows } from './features';
import { clusterWorld, drawClusters } from './testing/gaussianClusters';

const world = clusterWorld(1, 8, 4);
const train = drawClusters(world, 400, 2);
const heldOut = drawClusters(world, 200, 3).rows;
const options = { cells: 4, seed: 1 };

describe('cellDataCopying', () => {
  it('is near 0 for fresh samples and far below for training items passed off as samples', () => {
    const fresh = cellDataCopying(drawClusters(world, 200, 4).rows, train.rows, heldOut, options);
    expect(Math.abs(fresh.ct)).toBeLessThan(3);
    expect(fresh.copyingCells).toEqual([]);
    const copies = selectRows(
      train.rows,
      Array.from({ length: 200 }, (_, i) => i),
    );
    const copied = cellDataCopying(copies, train.rows, heldOut, options);
    expect(copied.ct).toBeLessThan(-5);
    expect(copied.copyingCells).toHaveLength(4);
  });

  it('finds the cells a model copies in even when it underfits the others', () => {
    // Classes 0 and 1: exact training items; classes 2 and 3: blurred far beyond the data.
    const copiedRows = Array.from(train.labels.keys())
      .filter((i) => (train.labels[i] as number) < 2)
      .slice(0, 100);
    const copies = selectRows(train.rows, copiedRows);
    const blurred = drawClusters({ ...world, spread: 3 }, 100, 5, [2, 3]).rows;
    const samples = {
      values: Float32Array.from([...copies.values, ...blurred.values]),
      count: 200,
      dim: world.dim,
    };
    const result = cellDataCopying(samples, train.rows, heldOut, options);
    expect(result.copyingCells.length).toBeGreaterThanOrEqual(1);
    expect(result.cells.some((cell) => cell.z !== null && cell.z > 3)).toBe(true);
  });

  it('is the same for the same seed', () => {
    const samples = drawClusters(world, 100, 6).rows;
    expect(cellDataCopying(samples, train.rows, heldOut, options)).toEqual(
      cellDataCopying(samples, train.rows, heldOut, options),
    );
  });
});
