import { seededRandom } from '../../common/random';
import type { WorkControl } from '../types';

/** The k nearest neighbours of every point (itself excluded), nearest first. */
export interface Neighbours {
  k: number;
  /** [count, k] point indices; -1 where fewer than k were found. */
  index: Int32Array;
  /** [count, k] squared Euclidean distances. */
  distance: Float32Array;
}

export interface KnnOptions {
  /** Up to this many points, every pair is compared; above, an inverted-file index is used. */
  exactUpTo?: number;
  /** Cells searched per query: more is slower and closer to exact. */
  probes?: number;
}

/**
 * k-nearest neighbours with an inverted-file index (IVF): k-means cells over the points, and
 * each query looks only in the cells nearest to it. At 50,000 points in 32 dimensions that is
 * ~1,500 distance computations per query instead of 50,000, and near neighbours (the ones the
 * audit cares about) are almost never in a cell that is not probed.
 */
export async function nearestNeighbours(
  points: Float32Array,
  count: number,
  dim: number,
  k: number,
  control: WorkControl,
  options: KnnOptions = {},
): Promise<Neighbours> {
  const kk = Math.max(1, Math.min(k, count - 1));
  const result: Neighbours = {
    k: kk,
    index: new Int32Array(count * kk).fill(-1),
    distance: new Float32Array(count * kk).fill(Infinity),
  };
  if (count < 2) return result;
  if (count <= (options.exactUpTo ?? 4000)) {
    const all = Int32Array.from({ length: count }, (_, i) => i);
    for (let q = 0; q < count; q++) {
      searchList(points, dim, q, all, result);
      if (q % 500 === 499) await control.checkpoint();
    }
    return result;
  }
  const cells = Math.max(2, Math.round(Math.sqrt(count)));
  const centroids = await kMeans(points, count, dim, cells, control);
  const probes = Math.min(cells, options.probes ?? 6);
  // Each point's nearest cells, nearest first; the first is its own cell.
  const nearestCells = new Int32Array(count * probes);
  const cellDistance = new Float32Array(cells);
  const members: number[][] = Array.from({ length: cells }, () => []);
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < cells; c++)
      cellDistance[c] = squaredDistance(points, i * dim, centroids, c * dim, dim);
    const order = smallest(cellDistance, probes);
    nearestCells.set(order, i * probes);
    (members[order[0] as number] as number[]).push(i);
    if (i % 2000 === 1999) await control.checkpoint();
  }
  const lists = members.map((m) => Int32Array.from(m));
  for (let q = 0; q < count; q++) {
    for (let p = 0; p < probes; p++) {
      searchList(
        points,
        dim,
        q,
        lists[nearestCells[q * probes + p] as number] as Int32Array,
        result,
      );
    }
    if (q % 1000 === 999) {
      control.progress('neighbours', q + 1, count);
      await control.checkpoint();
    }
  }
  return result;
}

function searchList(
  points: Float32Array,
  dim: number,
  q: number,
  list: Int32Array,
  out: Neighbours,
): void {
  const k = out.k;
  const base = q * k;
  let worst = out.distance[base + k - 1] as number;
  for (let t = 0; t < list.length; t++) {
    const j = list[t] as number;
    if (j === q) continue;
    const d = squaredDistance(points, q * dim, points, j * dim, dim);
    if (d >= worst) continue;
    // Insertion into the sorted row; k is small (≤ 20).
    let pos = k - 1;
    while (pos > 0 && (out.distance[base + pos - 1] as number) > d) {
      out.distance[base + pos] = out.distance[base + pos - 1] as number;
      out.index[base + pos] = out.index[base + pos - 1] as number;
      pos--;
    }
    out.distance[base + pos] = d;
    out.index[base + pos] = j;
    worst = out.distance[base + k - 1] as number;
  }
}

export function squaredDistance(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  dim: number,
): number {
  let s = 0;
  for (let i = 0; i < dim; i++) {
    const d = (a[ao + i] as number) - (b[bo + i] as number);
    s += d * d;
  }
  return s;
}

/** Indices of the n smallest values, smallest first. */
function smallest(values: Float32Array, n: number): Int32Array {
  const best = new Int32Array(n).fill(-1);
  const bestValue = new Float32Array(n).fill(Infinity);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v >= (bestValue[n - 1] as number)) continue;
    let pos = n - 1;
    while (pos > 0 && (bestValue[pos - 1] as number) > v) {
      bestValue[pos] = bestValue[pos - 1] as number;
      best[pos] = best[pos - 1] as number;
      pos--;
    }
    bestValue[pos] = v;
    best[pos] = i;
  }
  return best;
}

/** Lloyd's k-means on a sample, seeded from random points; a few rounds are enough for an index. */
async function kMeans(
  points: Float32Array,
  count: number,
  dim: number,
  cells: number,
  control: WorkControl,
): Promise<Float32Array> {
  const random = seededRandom(7);
  const sampleSize = Math.min(count, cells * 30);
  const sample = Int32Array.from({ length: sampleSize }, (_, i) =>
    sampleSize === count ? i : Math.floor(random() * count),
  );
  const centroids = new Float32Array(cells * dim);
  for (let c = 0; c < cells; c++) {
    const from = sample[Math.floor(random() * sampleSize)] as number;
    centroids.set(points.subarray(from * dim, from * dim + dim), c * dim);
  }
  const assignment = new Int32Array(sampleSize);
  for (let round = 0; round < 8; round++) {
    for (let s = 0; s < sampleSize; s++) {
      const i = sample[s] as number;
      let best = 0;
      let bestD = Infinity;
      for (let c = 0; c < cells; c++) {
        const d = squaredDistance(points, i * dim, centroids, c * dim, dim);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      assignment[s] = best;
    }
    const sums = new Float64Array(cells * dim);
    const sizes = new Int32Array(cells);
    for (let s = 0; s < sampleSize; s++) {
      const c = assignment[s] as number;
      const i = sample[s] as number;
      sizes[c] = (sizes[c] as number) + 1;
      for (let j = 0; j < dim; j++)
        sums[c * dim + j] = (sums[c * dim + j] as number) + (points[i * dim + j] as number);
    }
    for (let c = 0; c < cells; c++) {
      const size = sizes[c] as number;
      if (size === 0) {
        // An empty cell restarts at a random point rather than staying useless.
        const from = sample[Math.floor(random() * sampleSize)] as number;
        centroids.set(points.subarray(from * dim, from * dim + dim), c * dim);
        continue;
      }
      for (let j = 0; j < dim; j++) centroids[c * dim + j] = (sums[c * dim + j] as number) / size;
    }
    await control.checkpoint();
  }
  return centroids;
}
