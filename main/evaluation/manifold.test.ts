import { describe, expect, it } from 'vitest';
import type { FeatureRows } from './features';
import { manifoldMetrics } from './manifold';

const line = (points: number[]): FeatureRows => ({
  values: Float32Array.from(points),
  count: points.length,
  dim: 1,
});

describe('manifoldMetrics', () => {
  it('counts balls by hand on points of a line', () => {
    // Real points 0…9: with k = 2 each one's ball has radius 1 (2 at the ends 0 and 9).
    const real = line([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Two samples on the data, one far off.
    const fake = line([0.5, 1.5, 40]);
    const result = manifoldMetrics(real, fake, { precisionRecallK: 2, densityCoverageK: 2 });
    expect(result.precision).toBeCloseTo(2 / 3, 12);
    // The samples' 2nd-neighbour radii: 39.5, 38.5, 39.5 — the far sample's ball holds every real point.
    expect(result.recall).toBe(1);
    // 0.5 is in the balls of 0 and 1, 1.5 in those of 0, 1 and 2.
    expect(result.density).toBeCloseTo((2 + 3) / (2 * 3), 12);
    expect(result.coverage).toBeCloseTo(3 / 10, 12);
  });

  it('gives 1 for precision, recall and coverage when the samples are the data', () => {
    const real = line([0, 1, 3, 6, 10, 15, 21, 28]);
    const result = manifoldMetrics(real, real);
    expect(result.precision).toBe(1);
    expect(result.recall).toBe(1);
    expect(result.coverage).toBe(1);
    expect(result.density).toBeGreaterThanOrEqual(1);
  });
});
