import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { nearestNeighbours } from './index/knn';
import { OUTLIER_DEFAULTS, outlierFindings, outlierScores } from './outliers';
import { auditItem } from './testing/auditKit';
import { NO_CONTROL } from './types';

describe('outlier scores', () => {
  it('takes tone and edge together: odd in both is an outlier, as odd in one is not', async () => {
    const count = 200;
    const dim = 4;
    const random = seededRandom(5);
    const points = Float32Array.from({ length: count * dim }, () => random());
    const neighbours = await nearestNeighbours(points, count, dim, 10, NO_CONTROL);
    const tone = new Float64Array(count).fill(1);
    const edge = new Float64Array(count).fill(1);
    // Row 0: 80% of the way to both thresholds; row 1: 80% of the tone one only; row 2: past the
    // edge threshold alone.
    tone[0] = 0.8 * OUTLIER_DEFAULTS.toneZ;
    edge[0] = 0.8 * OUTLIER_DEFAULTS.edgeZ;
    tone[1] = 0.8 * OUTLIER_DEFAULTS.toneZ;
    edge[2] = 1.1 * OUTLIER_DEFAULTS.edgeZ;
    const scores = outlierScores(neighbours, count, undefined, OUTLIER_DEFAULTS, tone, edge);
    expect(scores.z[0]).toBeCloseTo(Math.hypot(0.8, 0.8), 5);
    expect(scores.z[1]).toBeLessThan(1);
    expect(scores.z[2]).toBeGreaterThanOrEqual(1.1);
    const items = Array.from({ length: count }, (_, i) => auditItem(i + 1));
    const rows = items.map((_, i) => i);
    const flagged = outlierFindings(items, rows, scores, neighbours).map(
      (f) => f.members[0]?.itemId,
    );
    expect(flagged.sort()).toEqual([1, 3]);
  });
});
