import { describe, expect, it } from 'vitest';
import { NO_CONTROL } from '../types';
import { nearestNeighbours } from './knn';
import { seededRandom } from '../../common/random';
import { fitPca, project } from './pca';

function clusteredPoints(count: number, dim: number): Float32Array {
  const random = seededRandom(11);
  const centres = Array.from({ length: 20 }, () =>
    Array.from({ length: dim }, () => random() * 10),
  );
  const points = new Float32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const c = centres[i % 20] as number[];
    for (let d = 0; d < dim; d++) points[i * dim + d] = (c[d] as number) + random() - 0.5;
  }
  return points;
}

describe('nearest neighbours', () => {
  it('the inverted-file index finds (nearly) the same neighbours as comparing every pair', async () => {
    const count = 3000;
    const dim = 8;
    const points = clusteredPoints(count, dim);
    const exact = await nearestNeighbours(points, count, dim, 5, NO_CONTROL, { exactUpTo: count });
    const indexed = await nearestNeighbours(points, count, dim, 5, NO_CONTROL, { exactUpTo: 0 });
    let same = 0;
    for (let i = 0; i < count; i++) {
      const truth = new Set(exact.index.subarray(i * 5, i * 5 + 5));
      for (const j of indexed.index.subarray(i * 5, i * 5 + 5)) if (truth.has(j)) same++;
    }
    expect(same / (count * 5)).toBeGreaterThan(0.95);
    // Never itself, nearest first.
    for (let i = 0; i < count; i++) {
      expect(indexed.index[i * 5]).not.toBe(i);
      expect(indexed.distance[i * 5]).toBeLessThanOrEqual(indexed.distance[i * 5 + 1] as number);
    }
  });

  it('PCA keeps the direction the data varies along and reports what it leaves out', async () => {
    const random = seededRandom(2);
    const rows = new Float32Array(500 * 3);
    for (let i = 0; i < 500; i++) {
      const t = random() * 10;
      rows.set([t, 2 * t, (random() - 0.5) * 0.01], i * 3);
    }
    const pca = await fitPca(rows, 500, 3, 1, NO_CONTROL);
    const c = pca.components;
    expect(Math.abs((c[1] as number) / (c[0] as number))).toBeCloseTo(2, 2);
    const { residuals } = project(pca, Float32Array.from([0, 0, 5]), 1);
    expect(residuals[0]).toBeGreaterThan(4);
  });
});
