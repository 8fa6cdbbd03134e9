// The little dense linear algebra the Fréchet distance needs, in float64 and without a library:
// a mean and covariance, products of square matrices, and the eigendecomposition of a symmetric
// matrix by cyclic Jacobi rotations (unconditionally stable, and at D ≤ ~128 a few milliseconds).

import type { FeatureRows } from './features';

/** A square matrix, row-major: [n, n]. */
export interface SquareMatrix {
  n: number;
  values: Float64Array;
}

export interface Gaussian {
  mean: Float64Array;
  covariance: SquareMatrix;
}

/** The mean and the unbiased (n − 1) covariance of the rows. */
export function fitGaussian(rows: FeatureRows): Gaussian {
  const { count, dim, values } = rows;
  if (count < 2) throw new RangeError(`a covariance needs at least 2 rows, not ${count}`);
  const mean = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let d = 0; d < dim; d++) mean[d] = (mean[d] as number) + (values[r * dim + d] as number);
  }
  for (let d = 0; d < dim; d++) mean[d] = (mean[d] as number) / count;
  const covariance = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    for (let d = 0; d < dim; d++)
      centred[d] = (values[r * dim + d] as number) - (mean[d] as number);
    for (let i = 0; i < dim; i++) {
      const ci = centred[i] as number;
      for (let j = i; j < dim; j++) {
        covariance[i * dim + j] = (covariance[i * dim + j] as number) + ci * (centred[j] as number);
      }
    }
  }
  for (let i = 0; i < dim; i++) {
    for (let j = i; j < dim; j++) {
      const value = (covariance[i * dim + j] as number) / (count - 1);
      covariance[i * dim + j] = value;
      covariance[j * dim + i] = value;
    }
  }
  return { mean, covariance: { n: dim, values: covariance } };
}

export function multiply(a: SquareMatrix, b: SquareMatrix): SquareMatrix {
  const n = a.n;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a.values[i * n + k] as number;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) {
        out[i * n + j] = (out[i * n + j] as number) + aik * (b.values[k * n + j] as number);
      }
    }
  }
  return { n, values: out };
}

export function trace(a: SquareMatrix): number {
  let sum = 0;
  for (let i = 0; i < a.n; i++) sum += a.values[i * a.n + i] as number;
  return sum;
}

export interface SymmetricEigen {
  /** Eigenvalues, in no particular order. */
  values: Float64Array;
  /** Column i of this [n, n] matrix is the unit eigenvector of values[i]. */
  vectors: SquareMatrix;
}

/**
 * Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi: each rotation zeroes one
 * off-diagonal pair, sweeps repeat until the off-diagonal mass is negligible against the
 * diagonal. Only the upper triangle's symmetry is assumed, not checked.
 */
export function symmetricEigen(matrix: SquareMatrix, maxSweeps = 64): SymmetricEigen {
  const n = matrix.n;
  const a = Float64Array.from(matrix.values);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const at = (i: number, j: number): number => a[i * n + j] as number;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    let diagonal = 0;
    for (let i = 0; i < n; i++) {
      diagonal += at(i, i) * at(i, i);
      for (let j = i + 1; j < n; j++) off += at(i, j) * at(i, j);
    }
    if (off <= 1e-30 * Math.max(diagonal, 1e-300) || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = at(p, q);
        if (apq === 0) continue;
        // The rotation angle that zeroes a[p][q] (Numerical Recipes' stable form: the smaller root).
        const theta = (at(q, q) - at(p, p)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = at(k, p);
          const akq = at(k, q);
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = at(p, k);
          const aqk = at(q, k);
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p] as number;
          const vkq = v[k * n + q] as number;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = at(i, i);
  return { values, vectors: { n, values: v } };
}

/**
 * The principal square root of a symmetric positive semi-definite matrix, V·diag(√λ)·Vᵀ; the
 * small negative eigenvalues rounding leaves on a singular covariance count as 0.
 */
export function sqrtPsd(matrix: SquareMatrix): SquareMatrix {
  const { values, vectors } = symmetricEigen(matrix);
  const n = matrix.n;
  const out = new Float64Array(n * n);
  for (let e = 0; e < n; e++) {
    const root = Math.sqrt(Math.max(values[e] as number, 0));
    if (root === 0) continue;
    for (let i = 0; i < n; i++) {
      const vie = (vectors.values[i * n + e] as number) * root;
      if (vie === 0) continue;
      for (let j = 0; j < n; j++) {
        out[i * n + j] = (out[i * n + j] as number) + vie * (vectors.values[j * n + e] as number);
      }
    }
  }
  return { n, values: out };
}

/**
 * tr(√(C1·C2)) for symmetric PSD C1, C2. C1·C2 is not symmetric, but it is similar to
 * √C1·C2·√C1, which is symmetric PSD and has the same eigenvalues; so the trace is the sum of
 * the square roots of that matrix's eigenvalues, with no non-symmetric solver and no complex
 * parts to drop.
 */
export function traceSqrtOfProduct(c1: SquareMatrix, c2: SquareMatrix): number {
  const root = sqrtPsd(c1);
  const middle = multiply(multiply(root, c2), root);
  // Symmetrise away the rounding of the two products before the symmetric solver sees it.
  const n = middle.n;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const mean =
        ((middle.values[i * n + j] as number) + (middle.values[j * n + i] as number)) / 2;
      middle.values[i * n + j] = mean;
      middle.values[j * n + i] = mean;
    }
  }
  const { values } = symmetricEigen(middle);
  let sum = 0;
  for (const value of values) sum += Math.sqrt(Math.max(value, 0));
  return sum;
}
