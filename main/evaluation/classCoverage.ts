// Coverage per class (issue 11, "what cleaning bought: class coverage up"): Naeem et al.'s
// coverage (the share of real items whose k-NN ball holds at least one sample) taken class by
// class, so a starved class the model never learned to draw shows as a low figure even when the
// overall coverage, dominated by the big classes, is fine.
//
// The real items are the training items, not the validation items: a starved class has a
// handful of items, and the validation split holds none or one of them, too few for a figure.
// Each item's ball reaches its k-th nearest neighbour among ALL training items (the class's own
// items are too few to have a k-th neighbour), and a sample counts for a class-c item only when
// the feature classifier also puts the sample in class c: a starved class's balls are wide and
// reach into the neighbouring classes, whose samples would otherwise "cover" it.

import { distancesFromRow, kthSmallest, sameDimension, type FeatureRows } from './features';

export interface ClassCoverageInput {
  /** Feature rows of the training items and their labels. */
  train: FeatureRows;
  trainLabels: ArrayLike<number>;
  /** Feature rows of the generated samples and the classifier's class for each. */
  samples: FeatureRows;
  predicted: ArrayLike<number>;
  classCount: number;
  /** Neighbour the balls reach (default 5, Naeem et al.'s). */
  k?: number;
}

/**
 * Per class: the share of its training items whose ball holds a sample of that class, in [0, 1];
 * null for a class without training items. Brute force, a training row at a time.
 */
export function classCoverage(input: ClassCoverageInput): (number | null)[] {
  const { train, samples, trainLabels, predicted, classCount } = input;
  sameDimension(train, samples);
  if (trainLabels.length !== train.count || predicted.length !== samples.count) {
    throw new RangeError('one label per training row and one class per sample');
  }
  const k = Math.min(input.k ?? 5, train.count - 1);
  const items = new Array<number>(classCount).fill(0);
  const covered = new Array<number>(classCount).fill(0);
  const toTrain = new Float64Array(train.count);
  const toSamples = new Float64Array(samples.count);
  for (let i = 0; i < train.count; i++) {
    const c = trainLabels[i] as number;
    if (c < 0 || c >= classCount) continue;
    items[c] = (items[c] as number) + 1;
    if (k < 1) continue;
    distancesFromRow(train, i, train, toTrain);
    const radius = kthSmallest(toTrain, k, i);
    distancesFromRow(train, i, samples, toSamples);
    for (let j = 0; j < samples.count; j++) {
      if (predicted[j] === c && (toSamples[j] as number) <= radius) {
        covered[c] = (covered[c] as number) + 1;
        break;
      }
    }
  }
  return items.map((n, c) => (n > 0 ? (covered[c] as number) / n : null));
}

/** The lowest per-class coverage (the class the model draws worst), or null without classes. */
export function lowestClassCoverage(coverage: readonly (number | null)[]): number | null {
  const known = coverage.filter((v): v is number => v !== null);
  return known.length ? Math.min(...known) : null;
}
