// Kernel Inception Distance (Bińkowski et al. 2018) on the studio's features: the unbiased
// estimate of the squared MMD with the cubic polynomial kernel k(x, y) = (x·y / D + 1)³, averaged
// over random subsets of equal size. Unlike the Fréchet distance it has no bias that depends on
// the number of samples, so small sets compare fairly; it can dip just below 0 when the two sets
// come from one distribution. Lower is better.

import { seededRandom, shuffleInPlace } from '../common/random';
import { sameDimension, selectRows, type FeatureRows } from './features';

export interface KidOptions {
  /** Subsets drawn from each side (default 10). */
  subsets?: number;
  /** Rows per subset, at most the smaller set (default min(1000, both counts)). */
  subsetSize?: number;
  seed?: number;
}

export interface KidResult {
  /** Mean of the subsets' unbiased MMD² estimates. */
  kid: number;
  /** Their standard deviation (0 with a single subset). */
  std: number;
  subsets: number;
  subsetSize: number;
}

function polynomialKernel(a: FeatureRows, i: number, b: FeatureRows, j: number): number {
  const dim = a.dim;
  let dot = 0;
  for (let d = 0, ai = i * dim, bj = j * dim; d < dim; d++) {
    dot += (a.values[ai + d] as number) * (b.values[bj + d] as number);
  }
  const base = dot / dim + 1;
  return base * base * base;
}

/** The unbiased MMD² between two sets under the cubic kernel (each at least 2 rows). */
export function unbiasedMmd2(x: FeatureRows, y: FeatureRows): number {
  sameDimension(x, y);
  const m = x.count;
  const n = y.count;
  if (m < 2 || n < 2) throw new RangeError('the unbiased MMD needs at least 2 rows a side');
  let xx = 0;
  for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) xx += polynomialKernel(x, i, x, j);
  let yy = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) yy += polynomialKernel(y, i, y, j);
  let xy = 0;
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) xy += polynomialKernel(x, i, y, j);
  return (2 * xx) / (m * (m - 1)) + (2 * yy) / (n * (n - 1)) - (2 * xy) / (m * n);
}

function drawSubset(rows: FeatureRows, size: number, random: () => number): FeatureRows {
  const order = Int32Array.from({ length: rows.count }, (_, i) => i);
  shuffleInPlace(order, random);
  return selectRows(rows, order.subarray(0, size));
}

export function kernelInceptionDistance(
  a: FeatureRows,
  b: FeatureRows,
  options: KidOptions = {},
): KidResult {
  sameDimension(a, b);
  const subsets = Math.max(1, options.subsets ?? 10);
  const subsetSize = Math.min(options.subsetSize ?? 1000, a.count, b.count);
  const random = seededRandom(options.seed ?? 0);
  const estimates: number[] = [];
  for (let s = 0; s < subsets; s++) {
    estimates.push(
      unbiasedMmd2(drawSubset(a, subsetSize, random), drawSubset(b, subsetSize, random)),
    );
  }
  const kid = estimates.reduce((sum, value) => sum + value, 0) / subsets;
  const variance =
    subsets > 1 ? estimates.reduce((sum, value) => sum + (value - kid) ** 2, 0) / (subsets - 1) : 0;
  return { kid, std: Math.sqrt(variance), subsets, subsetSize };
}
