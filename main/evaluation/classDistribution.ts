// Which classes the model makes, as the studio's feature classifier sees them, against how the
// data is spread over its classes: a model that dropped classes (GAN mode collapse, or a starved
// class in the data) shows here before it shows in any distance.

export interface ClassDistributionOptions {
  /**
   * A class is missing when the samples hold less than this share of what the data holds of it
   * (default 0.1: a class with 10% of the items but under 1% of the samples).
   */
  missingRatio?: number;
}

export interface ClassDistribution {
  /** Share of the samples per class (sums to 1). */
  sampleShares: number[];
  /** Share of the data per class (sums to 1). */
  dataShares: number[];
  /** ½·Σ|sample share − data share|: 0 for the same spread, 1 for disjoint classes. */
  totalVariation: number;
  /** Classes the data has and the samples (almost) do not, by id. */
  missingClasses: number[];
}

function shares(classes: ArrayLike<number>, classCount: number): number[] {
  const counts = new Array<number>(classCount).fill(0);
  for (let i = 0; i < classes.length; i++) {
    const c = classes[i] as number;
    if (c < 0 || c >= classCount || !Number.isInteger(c)) {
      throw new RangeError(`class ${c} outside 0…${classCount - 1}`);
    }
    counts[c] = (counts[c] as number) + 1;
  }
  return counts.map((count) => (classes.length > 0 ? count / classes.length : 0));
}

/** `predicted`: the classifier's class per sample; `dataLabels`: the data's labels. */
export function classDistribution(
  predicted: ArrayLike<number>,
  dataLabels: ArrayLike<number>,
  classCount: number,
  options: ClassDistributionOptions = {},
): ClassDistribution {
  const missingRatio = options.missingRatio ?? 0.1;
  const sampleShares = shares(predicted, classCount);
  const dataShares = shares(dataLabels, classCount);
  let totalVariation = 0;
  const missingClasses: number[] = [];
  for (let c = 0; c < classCount; c++) {
    const sample = sampleShares[c] as number;
    const data = dataShares[c] as number;
    totalVariation += Math.abs(sample - data) / 2;
    if (data > 0 && sample < missingRatio * data) missingClasses.push(c);
  }
  return { sampleShares, dataShares, totalVariation, missingClasses };
}

export interface ConditionalAccuracy {
  /** Share of samples the classifier puts in the class they were asked for. */
  overall: number;
  /** Per class asked for; null where no sample asked for it. */
  perClass: (number | null)[];
}

/** For a class-conditional model: did it make what it was asked for? */
export function conditionalAccuracy(
  requested: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classCount: number,
): ConditionalAccuracy {
  if (requested.length !== predicted.length) {
    throw new RangeError(`${requested.length} requests for ${predicted.length} predictions`);
  }
  const asked = new Array<number>(classCount).fill(0);
  const hit = new Array<number>(classCount).fill(0);
  let hits = 0;
  for (let i = 0; i < requested.length; i++) {
    const c = requested[i] as number;
    if (c < 0 || c >= classCount) throw new RangeError(`class ${c} outside 0…${classCount - 1}`);
    asked[c] = (asked[c] as number) + 1;
    if (predicted[i] === c) {
      hit[c] = (hit[c] as number) + 1;
      hits++;
    }
  }
  return {
    overall: requested.length > 0 ? hits / requested.length : 0,
    perClass: asked.map((count, c) => (count > 0 ? (hit[c] as number) / count : null)),
  };
}
