// Does the model hand back its training items? Each sample's nearest training item, judged
// against how near held-out data comes to the training set on its own: a validation item was
// never trained on, so its distance to its nearest training item is what "close, but not a copy"
// looks like on this dataset in these features.
//
// The near-copy rule: a sample is a near copy when it is at most as far from its nearest
// training item as the `copyQuantile` (default 1%) quantile of the validation→train nearest
// distances. Fresh samples from the data distribution are then flagged about 1% of the time, so
// a share well above that says the model reproduces training items more closely than new data
// would; an exact copy (distance 0) is always flagged. Validation items that are exact copies of
// training items (a version with duplicates across its split) are left out of the threshold: they
// would set it to 0, and then only exact copies would count, however near the rest came.
//
// The data-copying statistic is Meehan et al. 2020's global test: the Mann-Whitney U z-score
// between the generated→train and the validation→train nearest distances. z ≪ 0 (e.g. below −3)
// means samples sit closer to the training items than new data does — copying; z ≫ 0 means they
// sit further away — underfitting; near 0 is what a model that learned the distribution shows.

import { cellDataCopying, mannWhitney, type CellDataCopying } from './dataCopying';
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
  /** For the per-cell test's k-means (default 0). */
  seed?: number;
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
  /** Meehan et al.'s global z-score (see the file's header), its U, and the per-cell test. */
  dataCopying: { z: number; u: number; cells: CellDataCopying };
}

export function memorisationReport(input: MemorisationInput): MemorisationReport {
  const { samples, train, validation } = input;
  const copyQuantile = input.copyQuantile ?? 0.01;
  const sampleNearest = nearestRows(samples, train);
  const validationNearest = nearestRows(validation, train);
  const yardstick = validationNearest.distance;
  const apart = yardstick.filter((d) => d > 0);
  const copyThreshold = quantile(apart.length > 0 ? apart : yardstick, copyQuantile);
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
    dataCopying: {
      ...mannWhitney(sampleNearest.distance, yardstick),
      cells: cellDataCopying(samples, train, validation, { seed: input.seed ?? 0 }),
    },
  };
}
