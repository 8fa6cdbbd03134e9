import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import type { FeatureRows } from './features';
import { frechetDistance, frechetDistanceOfGaussians } from './frechet';
import { multiply, type Gaussian } from './linalg';
import { normalDraws } from './testing/gaussianClusters';

/** `count` draws of N(mean, L·Lᵀ), for a lower-triangular factor L. */
function drawGaussian(
  mean: number[],
  factor: number[][],
  count: number,
  seed: number,
): FeatureRows {
  const normal = normalDraws(seededRandom(seed));
  const dim = mean.length;
  const values = new Float32Array(count * dim);
  const z = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let d = 0; d < dim; d++) z[d] = normal();
    for (let i = 0; i < dim; i++) {
      let value = mean[i] as number;
      for (let j = 0; j < dim; j++) value += (factor[i]?.[j] as number) * (z[j] as number);
      values[r * dim + i] = value;
    }
  }
  return { values, count, dim };
}

function gaussian(mean: number[], covariance: number[][]): Gaussian {
  return {
    mean: Float64Array.from(mean),
    covariance: { n: mean.length, values: Float64Array.from(covariance.flat()) },
  };
}

describe('frechetDistanceOfGaussians', () => {
  it('is |Δμ|² + Σ(σ1 − σ2)² for diagonal covariances', () => {
    const a = gaussian(
      [0, 1, 2],
      [
        [4, 0, 0],
        [0, 1, 0],
        [0, 0, 9],
      ],
    );
    const b = gaussian(
      [1, 1, 0],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 4],
      ],
    );
    expect(frechetDistanceOfGaussians(a, b)).toBeCloseTo(1 + 4 + (1 + 0 + 1), 10);
  });

  it('matches the 2×2 closed form for covariances that do not commute', () => {
    const c1 = [
      [2, 0.5],
      [0.5, 1],
    ];
    const c2 = [
      [1, -0.3],
      [-0.3, 3],
    ];
    const p = multiply(gaussian([0, 0], c1).covariance, gaussian([0, 0], c2).covariance).values;
    const trSqrt = Math.sqrt(
      (p[0] as number) +
        (p[3] as number) +
        2 * Math.sqrt((p[0] as number) * (p[3] as number) - (p[1] as number) * (p[2] as number)),
    );
    const expected = 0.25 + 3 + 4 - 2 * trSqrt;
    expect(frechetDistanceOfGaussians(gaussian([0.5, 0], c1), gaussian([0, 0], c2))).toBeCloseTo(
      expected,
      10,
    );
  });

  it('is 0 between a Gaussian and itself', () => {
    const a = gaussian(
      [3, -1],
      [
        [2, 0.7],
        [0.7, 1],
      ],
    );
    expect(frechetDistanceOfGaussians(a, a)).toBeCloseTo(0, 10);
  });
});

describe('frechetDistance on samples', () => {
  it('converges to the closed form of the Gaussians the sets were drawn from', () => {
    // Covariances L·Lᵀ: [[1, 0.6], [0.6, 1.36]] and [[2.25, 0], [0, 0.25]].
    const a = drawGaussian(
      [0, 0],
      [
        [1, 0],
        [0.6, 1],
      ],
      20000,
      1,
    );
    const b = drawGaussian(
      [1, 0.5],
      [
        [1.5, 0],
        [0, 0.5],
      ],
      20000,
      2,
    );
    const exact = frechetDistanceOfGaussians(
      gaussian(
        [0, 0],
        [
          [1, 0.6],
          [0.6, 1.36],
        ],
      ),
      gaussian(
        [1, 0.5],
        [
          [2.25, 0],
          [0, 0.25],
        ],
      ),
    );
    expect(frechetDistance(a, b)).toBeCloseTo(exact, 1);
  });

  it('is near 0 between two draws of one distribution and grows with the shift of the mean', () => {
    const a = drawGaussian(
      [0, 0, 0],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      4000,
      3,
    );
    const b = drawGaussian(
      [0, 0, 0],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      4000,
      4,
    );
    const shifted = drawGaussian(
      [2, 0, 0],
      [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      4000,
      4,
    );
    expect(frechetDistance(a, b)).toBeLessThan(0.02);
    expect(frechetDistance(a, shifted)).toBeCloseTo(4, 0);
  });

  it('refuses sets of different dimensions', () => {
    expect(() =>
      frechetDistance(
        { values: new Float32Array(6), count: 3, dim: 2 },
        { values: new Float32Array(9), count: 3, dim: 3 },
      ),
    ).toThrow(RangeError);
  });
});
