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

/** Distances from row `i` of `a` to every row of `b`, into `out` (length b.count). */
export function distancesFromRow(
  a: FeatureRows,
  i: number,
  b: FeatureRows,
  out: Float64Array,
): void {
  for (let j = 0; j < b.count; j++) out[j] = Math.sqrt(squaredDistance(a, i, b, j));
}

/** The k-th smallest of `values` (k ≥ 1), skipping index `skip` (a row's distance to itself). */
export function kthSmallest(values: Float64Array, k: number, skip = -1): number {
  const available = skip >= 0 && skip < values.length ? values.length - 1 : values.length;
  if (k < 1 || k > available) throw new RangeError(`k = ${k} with ${available} neighbours`);
  // The k smallest so far, kept sorted: k is 3 or 5, so insertion beats any heap.
  const best = new Float64Array(k).fill(Infinity);
  for (let c = 0; c < values.length; c++) {
    if (c === skip) continue;
    const value = values[c] as number;
    if (value >= (best[k - 1] as number)) continue;
    let at = k - 1;
    while (at > 0 && (best[at - 1] as number) > value) {
      best[at] = best[at - 1] as number;
      at--;
    }
    best[at] = value;
  }
  return best[k - 1] as number;
}

/**
 * The k-th nearest-neighbour distance of every row among the other rows of the same set, a row
 * at a time (memory O(count), not O(count²)).
 */
export function kthNeighbourRadii(rows: FeatureRows, k: number): Float64Array {
  const radii = new Float64Array(rows.count);
  const row = new Float64Array(rows.count);
  for (let i = 0; i < rows.count; i++) {
    distancesFromRow(rows, i, rows, row);
    radii[i] = kthSmallest(row, k, i);
  }
  return radii;
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
