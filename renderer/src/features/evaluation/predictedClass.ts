import type { PredictedClass } from '../../../../preload/contract';

/** "looks like: 7 (0.93)": the feature classifier's class and its softmax probability. */
export function looksLike(predicted: PredictedClass): string {
  const sure = predicted.confidence === null ? '' : ` (${predicted.confidence.toFixed(2)})`;
  return `looks like: ${predicted.label}${sure}`;
}

/** How often the classifier that said so is right on held-out items, against guessing. */
export function classifierRecord(predicted: PredictedClass): string {
  const { classifierAccuracy: accuracy, classifierChance: chance } = predicted;
  if (accuracy === null) return 'the classifier was not measured on held-out items';
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return `the version's classifier is right on ${pct(accuracy)} of held-out items${
    chance === null ? '' : ` (chance ${pct(chance)})`
  }`;
}
