// Feature rows: what every metric in this folder compares. A row is one image or text turned into
// numbers by the studio's own feature network (or raw pixels for the pixel-space nearest
// neighbour); the metrics never look at what the numbers mean, only at where the rows lie.

/** `count` rows of `dim` values, row-major: [count, dim]. */
export interface FeatureRows {
  values: Float32Array;
  count: number;
  dim: number;
}

export function featureRows(values: Float32Array, dim: number): FeatureRows {
  if (dim <= 0 || values.length % dim !== 0) {
    throw new RangeError(`${values.length} values do not make rows of ${dim}`);
  }
  return { values, count: values.length / dim, dim };
}

export function sameDimension(a: FeatureRows, b: FeatureRows): void {
  if (a.dim !== b.dim) throw new RangeError(`feature rows of ${a.dim} and ${b.dim} values`);
}

/** Rows `indices` of `rows`, in that order. */
export function selectRows(rows: FeatureRows, indices: ArrayLike<number>): FeatureRows {
  const values = new Float32Array(indices.length * rows.dim);
  for (let i = 0; i < indices.length; i++) {
    const at = (indices[i] as number) * rows.dim;
    values.set(rows.values.subarray(at, at + rows.dim), i * rows.dim);
  }
  return { values, count: indices.length, dim: rows.dim };
}

export function squaredDistance(a: FeatureRows, i: number, b: FeatureRows, j: number): number {
  const dim = a.dim;
  const av = a.values;
  const bv = b.values;
  let sum = 0;
  for (let d = 0, ai = i * dim, bj = j * dim; d < dim; d++) {
    const diff = (av[ai + d] as number) - (bv[bj + d] as number);
    sum += diff * diff;
  }
  return sum;
}

/**
 * Every Euclidean distance from a row of `a` to a row of `b`: [a.count, b.count]. Computed from
 * differences, not from |a|² + |b|² − 2a·b, so that a copy is at exactly 0 (the memorisation
 * check depends on it).
 */
export function pairwiseDistances(a: FeatureRows, b: FeatureRows): Float64Array {
  sameDimension(a, b);
  const out = new Float64Array(a.count * b.count);
  for (let i = 0; i < a.count; i++) {
    for (let j = 0; j < b.count; j++) out[i * b.count + j] = Math.sqrt(squaredDistance(a, i, b, j));
  }
  return out;
}

/**
 * Per row of a [rows, cols] distance matrix, its k-th smallest entry (k ≥ 1), skipping the
 * diagonal when `excludeSelf` (the matrix of a set against itself).
 */
export function kthSmallestPerRow(
  distances: Float64Array,
  rows: number,
  cols: number,
  k: number,
  excludeSelf: boolean,
): Float64Array {
  const available = excludeSelf ? cols - 1 : cols;
  if (k < 1 || k > available) throw new RangeError(`k = ${k} with ${available} neighbours`);
  const out = new Float64Array(rows);
  const best = new Float64Array(k);
  for (let r = 0; r < rows; r++) {
    best.fill(Infinity);
    for (let c = 0; c < cols; c++) {
      if (excludeSelf && c === r) continue;
      const value = distances[r * cols + c] as number;
      if (value >= (best[k - 1] as number)) continue;
      // Insertion into the k smallest so far, kept sorted.
      let at = k - 1;
      while (at > 0 && (best[at - 1] as number) > value) {
        best[at] = best[at - 1] as number;
        at--;
      }
      best[at] = value;
    }
    out[r] = best[k - 1] as number;
  }
  return out;
}

/** The k-th nearest-neighbour distance of every row among the other rows of the same set. */
export function kthNeighbourRadii(rows: FeatureRows, k: number): Float64Array {
  return kthSmallestPerRow(pairwiseDistances(rows, rows), rows.count, rows.count, k, true);
}

export interface NearestRows {
  /** Per query row: the index of its nearest reference row. */
  index: Int32Array;
  /** Per query row: the Euclidean distance to it. */
  distance: Float64Array;
}

/** Each query row's nearest reference row (brute force: exact, and fast enough at these sizes). */
export function nearestRows(queries: FeatureRows, reference: FeatureRows): NearestRows {
  sameDimension(queries, reference);
  if (reference.count === 0) throw new RangeError('no reference rows to be near to');
  const index = new Int32Array(queries.count);
  const distance = new Float64Array(queries.count);
  for (let q = 0; q < queries.count; q++) {
    let best = Infinity;
    let bestAt = 0;
    for (let r = 0; r < reference.count; r++) {
      const d = squaredDistance(queries, q, reference, r);
      if (d < best) {
        best = d;
        bestAt = r;
      }
    }
    index[q] = bestAt;
    distance[q] = Math.sqrt(best);
  }
  return { index, distance };
}

/** The q-quantile (0–1) of `values`, interpolating linearly between order statistics. */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (values.length === 0) return NaN;
  const sorted = Float64Array.from(values).sort();
  const at = Math.min(Math.max(q, 0), 1) * (sorted.length - 1);
  const low = Math.floor(at);
  const high = Math.min(low + 1, sorted.length - 1);
  return (
    (sorted[low] as number) + (at - low) * ((sorted[high] as number) - (sorted[low] as number))
  );
}
