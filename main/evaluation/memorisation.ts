// Does the model hand back its training items? Each sample's nearest training item, judged
// against how near held-out data comes to the training set on its own: a validation item was
// never trained on, so its distance to its nearest training item is what "close, but not a copy"
// looks like on this dataset in these features.
//
// The near-copy rule: a sample is a near copy when it is at most as far from its nearest
// training item as the `copyQuantile` (default 1%) quantile of the validation→train nearest
// distances. Fresh samples from the data distribution are then flagged about 1% of the time, so
// a share well above that says the model reproduces training items more closely than new data
// would; an exact copy (distance 0) is always flagged, even when the validation set itself holds
// duplicates of training items and the threshold is 0.
//
// The data-copying statistic is Meehan et al. 2020's global test: the Mann-Whitney U z-score
// between the generated→train and the validation→train nearest distances. z ≪ 0 (e.g. below −3)
// means samples sit closer to the training items than new data does — copying; z ≫ 0 means they
// sit further away — underfitting; near 0 is what a model that learned the distribution shows.

import { nearestRows, quantile, type FeatureRows } from './features';

export interface MemorisationInput {
  /** Features of the generated samples, the training items and the validation items. */
  samples: FeatureRows;
  train: FeatureRows;
  validation: FeatureRows;
  /** Optionally the same samples and training items as raw pixels, for a pixel-space neighbour. */
  pixels?: { samples: FeatureRows; train: FeatureRows };
  /** See the file's header (default 0.01). */
  copyQuantile?: number;
}

export interface SampleNeighbour {
  /** Row of the nearest training item in `train`. */
  trainIndex: number;
  distance: number;
  /** distance / the median validation→train distance: below ~0.5 is unusually close. */
  relativeDistance: number;
  nearCopy: boolean;
  /** The nearest training item in pixels, when pixels were given. */
  pixelTrainIndex?: number;
  pixelDistance?: number;
}

export interface MemorisationReport {
  samples: SampleNeighbour[];
  /** Share of samples that are near copies (0–1). */
  nearCopyShare: number;
  /** The distance at or under which a sample counts as a near copy. */
  copyThreshold: number;
  /** Quantiles of the validation→train nearest distances, the yardstick. */
  validationToTrain: { p01: number; p05: number; median: number };
  /** Meehan et al.'s z-score (see the file's header) and the U it comes from. */
  dataCopying: { z: number; u: number };
}

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

export function memorisationReport(input: MemorisationInput): MemorisationReport {
  const { samples, train, validation } = input;
  const copyQuantile = input.copyQuantile ?? 0.01;
  const sampleNearest = nearestRows(samples, train);
  const validationNearest = nearestRows(validation, train);
  const yardstick = validationNearest.distance;
  const copyThreshold = quantile(yardstick, copyQuantile);
  const median = quantile(yardstick, 0.5);
  const pixelNearest = input.pixels ? nearestRows(input.pixels.samples, input.pixels.train) : null;

  const neighbours: SampleNeighbour[] = [];
  let copies = 0;
  for (let s = 0; s < samples.count; s++) {
    const distance = sampleNearest.distance[s] as number;
    const nearCopy = distance <= copyThreshold;
    if (nearCopy) copies++;
    const neighbour: SampleNeighbour = {
      trainIndex: sampleNearest.index[s] as number,
      distance,
      relativeDistance: median > 0 ? distance / median : distance === 0 ? 0 : Infinity,
      nearCopy,
    };
    if (pixelNearest) {
      neighbour.pixelTrainIndex = pixelNearest.index[s] as number;
      neighbour.pixelDistance = pixelNearest.distance[s] as number;
    }
    neighbours.push(neighbour);
  }
  return {
    samples: neighbours,
    nearCopyShare: samples.count > 0 ? copies / samples.count : 0,
    copyThreshold,
    validationToTrain: {
      p01: quantile(yardstick, 0.01),
      p05: quantile(yardstick, 0.05),
      median,
    },
    dataCopying: mannWhitney(sampleNearest.distance, yardstick),
  };
}
