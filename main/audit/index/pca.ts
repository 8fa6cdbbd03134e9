import { seededRandom } from '../../common/random';
import type { WorkControl } from '../types';

/** A fitted principal-component projection: rows of length `inputDim` → `outputDim`. */
export interface Pca {
  inputDim: number;
  outputDim: number;
  mean: Float64Array;
  /** [inputDim, outputDim], column j the j-th component. */
  components: Float64Array;
  /** Variance along each component, largest first. */
  variances: Float64Array;
}

/**
 * PCA from the covariance of (a sample of) the rows, by orthogonal iteration: the dimensions are
 * a few hundred, so the d×d covariance is cheap and no general eigen-solver is needed.
 */
export async function fitPca(
  rows: Float32Array,
  count: number,
  dim: number,
  outputDim: number,
  control: WorkControl,
  maxSample = 8000,
): Promise<Pca> {
  const k = Math.min(outputDim, dim);
  const step = Math.max(1, Math.floor(count / maxSample));
  const mean = new Float64Array(dim);
  let n = 0;
  for (let i = 0; i < count; i += step, n++) {
    for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) + (rows[i * dim + j] as number);
  }
  for (let j = 0; j < dim; j++) mean[j] = (mean[j] as number) / Math.max(1, n);
  const cov = new Float64Array(dim * dim);
  const centred = new Float64Array(dim);
  for (let i = 0, seen = 0; i < count; i += step, seen++) {
    for (let j = 0; j < dim; j++) centred[j] = (rows[i * dim + j] as number) - (mean[j] as number);
    for (let a = 0; a < dim; a++) {
      const ca = centred[a] as number;
      if (ca === 0) continue;
      const off = a * dim;
      for (let b = a; b < dim; b++)
        cov[off + b] = (cov[off + b] as number) + ca * (centred[b] as number);
    }
    if (seen % 500 === 499) await control.checkpoint();
  }
  for (let a = 0; a < dim; a++) {
    for (let b = a; b < dim; b++) {
      const v = (cov[a * dim + b] as number) / Math.max(1, n - 1);
      cov[a * dim + b] = v;
      cov[b * dim + a] = v;
    }
  }
  const random = seededRandom(17);
  let q = new Float64Array(dim * k);
  for (let i = 0; i < q.length; i++) q[i] = random() - 0.5;
  orthonormalizeColumns(q, dim, k);
  for (let iteration = 0; iteration < 40; iteration++) {
    const z = new Float64Array(dim * k);
    for (let a = 0; a < dim; a++) {
      for (let b = 0; b < dim; b++) {
        const c = cov[a * dim + b] as number;
        if (c === 0) continue;
        for (let j = 0; j < k; j++)
          z[a * k + j] = (z[a * k + j] as number) + c * (q[b * k + j] as number);
      }
    }
    orthonormalizeColumns(z, dim, k);
    q = z;
    if (iteration % 10 === 9) await control.checkpoint();
  }
  const variances = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    let v = 0;
    for (let a = 0; a < dim; a++) {
      let row = 0;
      for (let b = 0; b < dim; b++) row += (cov[a * dim + b] as number) * (q[b * k + j] as number);
      v += (q[a * k + j] as number) * row;
    }
    variances[j] = v;
  }
  return { inputDim: dim, outputDim: k, mean, components: q, variances };
}

function orthonormalizeColumns(m: Float64Array, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    for (let p = 0; p < j; p++) {
      let d = 0;
      for (let a = 0; a < rows; a++) d += (m[a * cols + j] as number) * (m[a * cols + p] as number);
      for (let a = 0; a < rows; a++)
        m[a * cols + j] = (m[a * cols + j] as number) - d * (m[a * cols + p] as number);
    }
    let norm = 0;
    for (let a = 0; a < rows; a++) norm += (m[a * cols + j] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let a = 0; a < rows; a++) m[a * cols + j] = (m[a * cols + j] as number) / norm;
  }
}

/**
 * Projects every row: [count, outputDim] coordinates, and per row the reconstruction error (the
 * length of the part the components do not explain): large for rows unlike the data PCA saw.
 */
export function project(
  pca: Pca,
  rows: Float32Array,
  count: number,
): { points: Float32Array; residuals: Float32Array } {
  const { inputDim: d, outputDim: k, mean, components } = pca;
  const points = new Float32Array(count * k);
  const residuals = new Float32Array(count);
  const centred = new Float64Array(d);
  for (let i = 0; i < count; i++) {
    let total = 0;
    for (let a = 0; a < d; a++) {
      const v = (rows[i * d + a] as number) - (mean[a] as number);
      centred[a] = v;
      total += v * v;
    }
    let explained = 0;
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += (centred[a] as number) * (components[a * k + j] as number);
      points[i * k + j] = s;
      explained += s * s;
    }
    residuals[i] = Math.sqrt(Math.max(0, total - explained));
  }
  return { points, residuals };
}
