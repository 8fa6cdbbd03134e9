import { describe, expect, it } from 'vitest';
import { featureRows, kthNeighbourRadii, kthSmallest, nearestRows, quantile } from './features';

describe('feature rows', () => {
  it('refuses values that do not make whole rows', () => {
    expect(() => featureRows(new Float32Array(5), 2)).toThrow(RangeError);
    expect(featureRows(new Float32Array(6), 2).count).toBe(3);
  });

  it('finds the k-th smallest, skipping a row itself', () => {
    const values = Float64Array.of(0, 5, 1, 3, 2);
    expect(kthSmallest(values, 1)).toBe(0);
    expect(kthSmallest(values, 1, 0)).toBe(1);
    expect(kthSmallest(values, 3, 0)).toBe(3);
    expect(() => kthSmallest(values, 5, 0)).toThrow(RangeError);
  });

  it('measures each row’s k-th neighbour and nearest reference row', () => {
    const line = featureRows(Float32Array.of(0, 1, 3, 7), 1);
    expect(Array.from(kthNeighbourRadii(line, 2))).toEqual([3, 2, 3, 6]);
    const nearest = nearestRows(featureRows(Float32Array.of(2.9, -1), 1), line);
    expect(Array.from(nearest.index)).toEqual([2, 0]);
    expect(nearest.distance[0]).toBeCloseTo(0.1, 6);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(quantile([3, 1, 2, 4], 0.5)).toBe(2.5);
    expect(quantile([3, 1, 2, 4], 0)).toBe(1);
    expect(quantile([10, 20], 0.01)).toBeCloseTo(10.1, 12);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
