import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { multiply, sqrtPsd, symmetricEigen, traceSqrtOfProduct, type SquareMatrix } from './linalg';

function randomSymmetric(n: number, seed: number, psd: boolean): SquareMatrix {
  const random = seededRandom(seed);
  const a = Float64Array.from({ length: n * n }, () => random() * 2 - 1);
  if (psd) {
    // A·Aᵀ is positive semi-definite.
    const at = { n, values: new Float64Array(n * n) };
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) at.values[j * n + i] = a[i * n + j] as number;
    return multiply({ n, values: a }, at);
  }
  const values = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      values[i * n + j] = ((a[i * n + j] as number) + (a[j * n + i] as number)) / 2;
  }
  return { n, values };
}

function maxAbsDifference(a: Float64Array, b: Float64Array): number {
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs((a[i] as number) - (b[i] as number)));
  return max;
}

describe('symmetricEigen', () => {
  for (const n of [1, 5, 64]) {
    it(`rebuilds a random symmetric ${n}×${n} matrix from orthonormal eigenvectors`, () => {
      const matrix = randomSymmetric(n, 7 + n, false);
      const { values, vectors } = symmetricEigen(matrix);
      const rebuilt = new Float64Array(n * n);
      const gram = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let sum = 0;
          let dot = 0;
          for (let e = 0; e < n; e++) {
            const vie = vectors.values[i * n + e] as number;
            const vje = vectors.values[j * n + e] as number;
            sum += vie * (values[e] as number) * vje;
            dot += (vectors.values[e * n + i] as number) * (vectors.values[e * n + j] as number);
          }
          rebuilt[i * n + j] = sum;
          gram[i * n + j] = dot;
        }
      }
      const identity = new Float64Array(n * n);
      for (let i = 0; i < n; i++) identity[i * n + i] = 1;
      expect(maxAbsDifference(rebuilt, matrix.values)).toBeLessThan(1e-9);
      expect(maxAbsDifference(gram, identity)).toBeLessThan(1e-9);
    });
  }

  it('finds the known eigenvalues of a 2×2 matrix', () => {
    const { values } = symmetricEigen({ n: 2, values: Float64Array.of(2, 1, 1, 2) });
    expect(Array.from(values).sort()).toEqual([expect.closeTo(1, 12), expect.closeTo(3, 12)]);
  });
});

describe('sqrtPsd', () => {
  it('squares back to the matrix, for a singular one too', () => {
    const full = randomSymmetric(6, 3, true);
    const root = sqrtPsd(full);
    expect(maxAbsDifference(multiply(root, root).values, full.values)).toBeLessThan(1e-9);
    // Rank one: v·vᵀ.
    const v = [1, 2, -1];
    const rankOne = {
      n: 3,
      values: Float64Array.from(
        { length: 9 },
        (_, k) => (v[Math.floor(k / 3)] as number) * (v[k % 3] as number),
      ),
    };
    const rootOne = sqrtPsd(rankOne);
    expect(maxAbsDifference(multiply(rootOne, rootOne).values, rankOne.values)).toBeLessThan(1e-9);
  });
});

describe('traceSqrtOfProduct', () => {
  it('matches the 2×2 closed form √(tr M + 2√det M) for non-commuting covariances', () => {
    const c1 = { n: 2, values: Float64Array.of(2, 0.5, 0.5, 1) };
    const c2 = { n: 2, values: Float64Array.of(1, -0.3, -0.3, 3) };
    const product = multiply(c1, c2);
    const tr = (product.values[0] as number) + (product.values[3] as number);
    const det =
      (product.values[0] as number) * (product.values[3] as number) -
      (product.values[1] as number) * (product.values[2] as number);
    expect(traceSqrtOfProduct(c1, c2)).toBeCloseTo(Math.sqrt(tr + 2 * Math.sqrt(det)), 10);
  });

  it('is the trace of the matrix itself when both are the same', () => {
    const c = randomSymmetric(16, 11, true);
    let tr = 0;
    for (let i = 0; i < 16; i++) tr += c.values[i * 16 + i] as number;
    expect(traceSqrtOfProduct(c, c)).toBeCloseTo(tr, 8);
  });
});
