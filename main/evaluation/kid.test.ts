import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import type { FeatureRows } from './features';
import { kernelInceptionDistance, unbiasedMmd2 } from './kid';
import { normalDraws } from './testing/gaussianClusters';

function oneDimensional(mean: number, std: number, count: number, seed: number): FeatureRows {
  const normal = normalDraws(seededRandom(seed));
  return {
    values: Float32Array.from({ length: count }, () => mean + std * normal()),
    count,
    dim: 1,
  };
}

/**
 * In one dimension (x·y + 1)³ = x³y³ + 3x²y² + 3xy + 1, so the population MMD² is
 * (Δm3)² + 3(Δm2)² + 3(Δm1)² over the raw moments m_k of the two distributions.
 */
function exactMmd2(meanA: number, stdA: number, meanB: number, stdB: number): number {
  const moments = (mu: number, s: number) => [mu, mu * mu + s * s, mu ** 3 + 3 * mu * s * s];
  const [a1, a2, a3] = moments(meanA, stdA) as [number, number, number];
  const [b1, b2, b3] = moments(meanB, stdB) as [number, number, number];
  return (a3 - b3) ** 2 + 3 * (a2 - b2) ** 2 + 3 * (a1 - b1) ** 2;
}

describe('unbiasedMmd2', () => {
  it('matches the brute-force definition on a tiny set', () => {
    const x: FeatureRows = { values: Float32Array.of(0, 1, 2, 0, 1, 1), count: 3, dim: 2 };
    const y: FeatureRows = { values: Float32Array.of(1, 0, -1, 2), count: 2, dim: 2 };
    const k = (a: number[], b: number[]) => ((a[0]! * b[0]! + a[1]! * b[1]!) / 2 + 1) ** 3;
    const xs = [
      [0, 1],
      [2, 0],
      [1, 1],
    ];
    const ys = [
      [1, 0],
      [-1, 2],
    ];
    let xx = 0;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) if (i !== j) xx += k(xs[i]!, xs[j]!);
    const yy = 2 * k(ys[0]!, ys[1]!);
    let xy = 0;
    for (const a of xs) for (const b of ys) xy += k(a, b);
    expect(unbiasedMmd2(x, y)).toBeCloseTo(xx / 6 + yy / 2 - (2 * xy) / 6, 10);
  });
});

describe('the standard KID scale', () => {
  it('is the kernel (x·y/d + 1)³ on d-wide features: two point masses give the closed form', () => {
    // Every row of one set is u, of the other v: the unbiased estimate is exactly
    // k(u,u) + k(v,v) − 2k(u,v). With u = 1 and v = 0 in 64 dimensions that is 2³ + 1 − 2 = 7;
    // a kernel without the 1/d would give (64 + 1)³ + 1 − 2 = 274 624.
    const d = 64;
    const rows = (value: number, count: number): FeatureRows => ({
      values: new Float32Array(count * d).fill(value),
      count,
      dim: d,
    });
    expect(
      kernelInceptionDistance(rows(1, 20), rows(0, 30), { subsets: 3, subsetSize: 10 }).kid,
    ).toBeCloseTo(7, 10);

    const random = seededRandom(4);
    const u = Array.from({ length: d }, () => random() * 2 - 1);
    const v = Array.from({ length: d }, () => random() * 2 - 1);
    const k = (a: number[], b: number[]) =>
      (a.reduce((s, x, i) => s + x * (b[i] as number), 0) / d + 1) ** 3;
    const repeated = (p: number[], count: number): FeatureRows => ({
      values: Float32Array.from({ length: count * d }, (_, i) => p[i % d] as number),
      count,
      dim: d,
    });
    // Float32 rows: compare with the closed form on the rounded coordinates.
    const u32 = Array.from(Float32Array.from(u));
    const v32 = Array.from(Float32Array.from(v));
    const exact = k(u32, u32) + k(v32, v32) - 2 * k(u32, v32);
    const { kid } = kernelInceptionDistance(repeated(u, 12), repeated(v, 12), { subsets: 1 });
    expect(kid).toBeCloseTo(exact, 9);
  });
});

describe('kernelInceptionDistance', () => {
  it('over one subset of everything, equals the estimate from the power sums of the sets', () => {
    // Σ_{i≠j} (x_i x_j + 1)³ = Σ_k C(3,k)·((Σx^k)² − Σx^2k) in one dimension.
    const a = oneDimensional(0, 1, 200, 1);
    const b = oneDimensional(0.3, 0.8, 200, 2);
    const power = (rows: FeatureRows, k: number) => rows.values.reduce((sum, x) => sum + x ** k, 0);
    const binomial = [1, 3, 3, 1];
    const within = (rows: FeatureRows) =>
      binomial.reduce((sum, c, k) => sum + c * (power(rows, k) ** 2 - power(rows, 2 * k)), 0) /
      (rows.count * (rows.count - 1));
    const between =
      binomial.reduce((sum, c, k) => sum + c * power(a, k) * power(b, k), 0) / (a.count * b.count);
    const expected = within(a) + within(b) - 2 * between;
    const { kid } = kernelInceptionDistance(a, b, { subsets: 1, subsetSize: 200 });
    expect(kid).toBeCloseTo(expected, 6);
  });

  it('estimates the closed-form MMD² of two Gaussians', () => {
    // A narrow spread keeps the sixth moments, and with them the estimator's variance, small.
    const a = oneDimensional(0, 0.5, 3000, 1);
    const b = oneDimensional(1, 0.5, 3000, 2);
    const { kid } = kernelInceptionDistance(a, b, { subsets: 10, subsetSize: 1000, seed: 5 });
    const exact = exactMmd2(0, 0.5, 1, 0.5);
    expect(Math.abs(kid - exact) / exact).toBeLessThan(0.15);
  });

  it('is near 0 for two draws of one distribution, and not biased by the set size', () => {
    const a = oneDimensional(0, 1, 400, 3);
    const b = oneDimensional(0, 1, 400, 4);
    const small = kernelInceptionDistance(a, b, { subsets: 20, subsetSize: 50, seed: 1 });
    const large = kernelInceptionDistance(a, b, { subsets: 5, subsetSize: 400, seed: 1 });
    const shifted = kernelInceptionDistance(a, oneDimensional(1, 1, 400, 4), {
      subsetSize: 400,
      subsets: 1,
    });
    expect(Math.abs(small.kid)).toBeLessThan(0.2 * shifted.kid);
    expect(Math.abs(large.kid)).toBeLessThan(0.05 * shifted.kid);
  });

  it('is the same for the same seed', () => {
    const a = oneDimensional(0, 1, 300, 3);
    const b = oneDimensional(0.2, 1.2, 300, 4);
    const first = kernelInceptionDistance(a, b, { subsets: 4, subsetSize: 100, seed: 9 });
    expect(kernelInceptionDistance(a, b, { subsets: 4, subsetSize: 100, seed: 9 })).toEqual(first);
    expect(kernelInceptionDistance(a, b, { subsets: 4, subsetSize: 100, seed: 10 }).kid).not.toBe(
      first.kid,
    );
  });
});
