// Whether the label-error classifier can be trusted on this dataset, class by class. Confident
// learning on a classifier that cannot tell the classes apart (topic folders of short texts read
// by their character profile, icons filed by purpose) turns every disagreement into a "label
// error": on such folders it flagged two thirds of the items. So before a single label error is
// reported the audit measures, out of fold, how often the content predicts each folder, against
// the chance of guessing the largest folder, and how well calibrated its probabilities are; only
// classes it predicts well keep their label errors, and the rest become one notice.

import type { AuditNotice } from '../../../preload/contract';
import { round } from '../types';

/** A class is checked only when the classifier finds this share of its items (out of fold)… */
export const MIN_CLASS_RECALL = 0.5;
/** …and is right this often when it names the class. */
export const MIN_CLASS_PRECISION = 0.6;
/**
 * Over the whole dataset the classifier must beat guessing the largest folder by this much of
 * the way to perfect (Cohen's-kappa-like skill), or no label is checked at all.
 */
export const MIN_SKILL = 0.5;
/** Probabilities this far off the accuracy they claim (per class) are not trusted either. */
export const MAX_CALIBRATION_GAP = 0.3;

export interface ClassTrust {
  label: string;
  items: number;
  /** Share of the items given this label that the classifier puts back in it. */
  recall: number;
  /** Share of the items the classifier puts in this class that were given it. */
  precision: number;
  /** |mean top probability − precision| over items predicted this class. */
  calibrationGap: number;
  reliable: boolean;
}

export interface LabelTrust {
  accuracy: number;
  /** Accuracy of always guessing the largest class. */
  chance: number;
  skill: number;
  classes: ClassTrust[];
  /** One notice when some or all classes could not be checked. */
  notice: AuditNotice | null;
}

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** Per-class trust from [rows, classes] out-of-fold probabilities and the given labels. */
export function labelTrust(
  probabilities: Float32Array,
  labels: Int32Array,
  classNames: readonly string[],
): LabelTrust {
  const k = classNames.length;
  const n = labels.length;
  const given = new Float64Array(k);
  const predicted = new Float64Array(k);
  const hits = new Float64Array(k);
  const topSum = new Float64Array(k);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let top = 0;
    for (let c = 1; c < k; c++)
      if ((probabilities[i * k + c] as number) > (probabilities[i * k + top] as number)) top = c;
    const y = labels[i] as number;
    given[y] = (given[y] as number) + 1;
    predicted[top] = (predicted[top] as number) + 1;
    topSum[top] = (topSum[top] as number) + (probabilities[i * k + top] as number);
    if (top === y) {
      hits[y] = (hits[y] as number) + 1;
      correct++;
    }
  }
  const accuracy = n > 0 ? correct / n : 0;
  const chance = n > 0 ? Math.max(...given) / n : 1;
  const skill = chance < 1 ? (accuracy - chance) / (1 - chance) : 0;
  const classes = classNames.map((label, c): ClassTrust => {
    const recall = (given[c] as number) > 0 ? (hits[c] as number) / (given[c] as number) : 0;
    const precision =
      (predicted[c] as number) > 0 ? (hits[c] as number) / (predicted[c] as number) : 0;
    const meanTop =
      (predicted[c] as number) > 0 ? (topSum[c] as number) / (predicted[c] as number) : 0;
    const calibrationGap = (predicted[c] as number) > 0 ? Math.abs(meanTop - precision) : 1;
    return {
      label,
      items: given[c] as number,
      recall: round(recall, 3),
      precision: round(precision, 3),
      calibrationGap: round(calibrationGap, 3),
      reliable:
        skill >= MIN_SKILL &&
        recall >= MIN_CLASS_RECALL &&
        precision >= MIN_CLASS_PRECISION &&
        calibrationGap <= MAX_CALIBRATION_GAP,
    };
  });
  const unreliable = classes.filter((c) => !c.reliable);
  let notice: AuditNotice | null = null;
  if (unreliable.length > 0) {
    const all = unreliable.length === classes.length;
    const reasons = unreliable.map((c) => `"${c.label}" (${whyUnchecked(c)})`);
    const listed =
      reasons.length > 6
        ? `${reasons.slice(0, 6).join('; ')}; and ${reasons.length - 6} more`
        : reasons.join('; ');
    const checked = classes.length - unreliable.length;
    notice = {
      check: 'label-error',
      message: all
        ? `Labels could not be checked: the content predicts the folder for ${pct(accuracy)} of items (chance ${pct(chance)}).`
        : `Labels in ${unreliable.length} of ${classes.length} folders could not be checked, because the content does not tell them apart from the others well enough: ${listed}. The other ${checked} ${checked === 1 ? 'folder was' : 'folders were'} checked; in the others, an item is reported only when it looks as surely like a checked folder's as that folder's own items do.`,
      evidence: {
        accuracy: round(accuracy, 3),
        chance: round(chance, 3),
        skill: round(skill, 3),
        uncheckedClasses: unreliable.map((c) => c.label),
        perClass: classes.map(({ label, items, recall, precision, calibrationGap }) => ({
          label,
          items,
          recall,
          precision,
          calibrationGap,
        })),
      },
    };
  }
  return { accuracy, chance, skill, classes, notice };
}

/**
 * Why a class's labels were not checked, in the words of the first test it failed. The share the
 * classifier puts back in a class can be high while the class is still unchecked (it also pulls
 * in many items of other folders), so the reason names the measure that failed.
 */
function whyUnchecked(c: ClassTrust): string {
  if (c.recall < MIN_CLASS_RECALL)
    return `the content puts only ${pct(c.recall)} of its items back in it`;
  if (c.precision < MIN_CLASS_PRECISION)
    return `of the items the content puts in it, only ${pct(c.precision)} are filed there`;
  if (c.calibrationGap > MAX_CALIBRATION_GAP)
    return `the classifier's confidence there is ${Math.round(c.calibrationGap * 100)} points away from how often it is right`;
  return 'the content does not predict the folders well enough overall';
}

/** The most a label error in a folder the classifier could not learn is trusted. */
export const UNCHECKED_FOLDER_CONFIDENCE = 0.7;

/** A label error's confidence: the classifier's reliability on the two classes it involves. */
export function labelErrorConfidence(
  trust: LabelTrust,
  given: number,
  suggested: number,
  selfConfidence: number,
  givenUnchecked = false,
): { value: number; why: string } {
  const g = trust.classes[given] as ClassTrust;
  const s = trust.classes[suggested] as ClassTrust;
  // What the folder's own items look like is unknown (it failed the gate): medium at most.
  if (givenUnchecked)
    return {
      value: Math.min(
        UNCHECKED_FOLDER_CONFIDENCE,
        Math.min(s.recall, s.precision) * (1 - selfConfidence),
      ),
      why: `"${g.label}" could not be learned, but out of fold the classifier is right ${pct(s.precision)} of the times it says "${s.label}", and this item looks as much like a "${s.label}" as the items filed there do`,
    };
  return {
    value: Math.min(g.recall, s.precision) * (1 - selfConfidence),
    why: `out of fold the classifier puts ${pct(g.recall)} of "${g.label}" items back in "${g.label}" and is right ${pct(s.precision)} of the times it says "${s.label}" (chance ${pct(trust.chance)})`,
  };
}
