// Meehan, Chaudhuri & Dasgupta 2020, "A non-parametric test to detect data-copying in generative
// models", per cell: the training items are split into cells (seeded k-means), and in each cell
// the generated samples' distances to their nearest training item of that cell are ranked
// against the held-out items' (a Mann-Whitney z). A model can copy in one region and underfit in
// another, which a single global z averages away; the cells show where. C_T is the held-out-
// weighted mean of the cells' z (cells with too few samples left out, as in the paper).

import { seededRandom } from '../common/random';
import { selectRows, squaredDistance, type FeatureRows } from './features';

export interface MannWhitney {
  /** Pairs (x, y) with x > y, ties counting one half. */
  u: number;
  /** Normal approximation with continuity correction; ties shrink the variance. */
  z: number;
}

/** The Mann-Whitney U of `x` against `y`, from the ranks of the pooled values. */
export function mannWhitney(x: ArrayLike<number>, y: ArrayLike<number>): MannWhitney {
  const m = x.length;
  const n = y.length;
  if (m === 0 || n === 0) return { u: NaN, z: NaN };
  const pooled: { value: number; fromX: boolean }[] = [];
  for (let i = 0; i < m; i++) pooled.push({ value: x[i] as number, fromX: true });
  for (let i = 0; i < n; i++) pooled.push({ value: y[i] as number, fromX: false });
  pooled.sort((a, b) => a.value - b.value);
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length;) {
    let end = start + 1;
    while (end < pooled.length && pooled[end]?.value === pooled[start]?.value) end++;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 … end
    for (let i = start; i < end; i++) if (pooled[i]?.fromX) rankSumX += averageRank;
    const tied = end - start;
    tieTerm += tied * tied * tied - tied;
    start = end;
  }
  const u = rankSumX - (m * (m + 1)) / 2;
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieTerm / (total * (total - 1)));
  const mean = (m * n) / 2;
  // Continuity correction towards the mean, as scipy's mannwhitneyu does.
  const corrected = u - mean === 0 ? 0 : u - mean - 0.5 * Math.sign(u - mean);
  return { u, z: variance > 0 ? corrected / Math.sqrt(variance) : 0 };
}

export interface DataCopyingOptions {
  /** k-means cells over the training items (default min(10, train / 20, samples / 40), at least 1). */
  cells?: number;
  /** A cell counts when it holds at least this share of the samples (default 20 / samples, the paper's τ). */
  minSampleShare?: number;
  seed?: number;
}

export interface DataCopyingCell {
  trainCount: number;
  heldOutCount: number;
  sampleCount: number;
  /** Mann-Whitney z of the samples' against the held-out items' distances; null when left out. */
  z: number | null;
}

export interface CellDataCopying {
  /** Held-out-weighted mean z over the cells that count; ≪ 0 copying, ≫ 0 underfitting. */
  ct: number;
  cells: DataCopyingCell[];
  /** Cells whose z is below −3: where samples sit closer to training items than new data does. */
  copyingCells: number[];
}

/** Seeded k-means (k-means++ start, Lloyd steps) over the rows; returns the centroids. */
function kMeans(rows: FeatureRows, k: number, random: () => number): FeatureRows {
  const picks: number[] = [Math.floor(random() * rows.count)];
  const nearest = new Float64Array(rows.count).fill(Infinity);
  while (picks.length < k) {
    const last = selectRows(rows, [picks[picks.length - 1] as number]);
    let total = 0;
    for (let i = 0; i < rows.count; i++) {
      nearest[i] = Math.min(nearest[i] as number, squaredDistance(rows, i, last, 0));
      total += nearest[i] as number;
    }
    if (total === 0) break; // fewer distinct points than cells
    let u = random() * total;
    let chosen = rows.count - 1;
    for (let i = 0; i < rows.count; i++) {
      u -= nearest[i] as number;
      if (u <= 0) {
        chosen = i;
        break;
      }
    }
    picks.push(chosen);
  }
  const centroids = selectRows(rows, picks);
  const assignment = new Int32Array(rows.count);
  for (let iteration = 0; iteration < 25; iteration++) {
    const assigned = assignCells(rows, centroids);
    const changed = assigned.some((cell, i) => cell !== assignment[i]);
    assignment.set(assigned);
    const sums = new Float64Array(centroids.count * rows.dim);
    const counts = new Int32Array(centroids.count);
    for (let i = 0; i < rows.count; i++) {
      const c = assignment[i] as number;
      counts[c] = (counts[c] as number) + 1;
      for (let d = 0; d < rows.dim; d++) {
        sums[c * rows.dim + d] =
          (sums[c * rows.dim + d] as number) + (rows.values[i * rows.dim + d] as number);
      }
    }
    for (let c = 0; c < centroids.count; c++) {
      if (counts[c] === 0) continue; // an emptied cell keeps its centre
      for (let d = 0; d < rows.dim; d++) {
        centroids.values[c * rows.dim + d] =
          (sums[c * rows.dim + d] as number) / (counts[c] as number);
      }
    }
    if (!changed && iteration > 0) break;
  }
  return centroids;
}

function assignCells(rows: FeatureRows, centroids: FeatureRows): Int32Array {
  const out = new Int32Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    let best = Infinity;
    for (let c = 0; c < centroids.count; c++) {
      const d = squaredDistance(rows, i, centroids, c);
      if (d < best) {
        best = d;
        out[i] = c;
      }
    }
  }
  return out;
}

/** Each query row's distance to its nearest reference row among `members` (Infinity when none). */
function nearestAmong(
  queries: FeatureRows,
  q: number,
  reference: FeatureRows,
  members: number[],
): number {
  let best = Infinity;
  for (const r of members) best = Math.min(best, squaredDistance(queries, q, reference, r));
  return Math.sqrt(best);
}

export function cellDataCopying(
  samples: FeatureRows,
  train: FeatureRows,
  heldOut: FeatureRows,
  options: DataCopyingOptions = {},
): CellDataCopying {
  // By default cells of ~40 samples each, so most hold the paper's minimum of 20.
  const k = Math.max(
    1,
    Math.min(
      options.cells ?? Math.min(10, Math.floor(train.count / 20), Math.floor(samples.count / 40)),
      train.count,
    ),
  );
  const centroids = kMeans(train, k, seededRandom(options.seed ?? 0));
  const trainCells = assignCells(train, centroids);
  const sampleCells = assignCells(samples, centroids);
  const heldOutCells = assignCells(heldOut, centroids);
  const minSamples = (options.minSampleShare ?? 20 / Math.max(samples.count, 1)) * samples.count;
  const cells: DataCopyingCell[] = [];
  let weighted = 0;
  let weight = 0;
  const copyingCells: number[] = [];
  for (let c = 0; c < centroids.count; c++) {
    const members: number[] = [];
    trainCells.forEach((cell, i) => {
      if (cell === c) members.push(i);
    });
    const sampleDistances: number[] = [];
    sampleCells.forEach((cell, i) => {
      if (cell === c) sampleDistances.push(nearestAmong(samples, i, train, members));
    });
    const heldOutDistances: number[] = [];
    heldOutCells.forEach((cell, i) => {
      if (cell === c) heldOutDistances.push(nearestAmong(heldOut, i, train, members));
    });
    const counts =
      members.length > 0 && heldOutDistances.length > 0 && sampleDistances.length >= minSamples;
    const z = counts ? mannWhitney(sampleDistances, heldOutDistances).z : null;
    cells.push({
      trainCount: members.length,
      heldOutCount: heldOutDistances.length,
      sampleCount: sampleDistances.length,
      z,
    });
    if (z !== null) {
      weighted += heldOutDistances.length * z;
      weight += heldOutDistances.length;
      if (z < -3) copyingCells.push(c);
    }
  }
  return { ct: weight > 0 ? weighted / weight : NaN, cells, copyingCells };
}
