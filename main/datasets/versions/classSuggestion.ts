// The class "add to dataset" suggests for an unconditional model's sample: the one the version's
// feature classifier saw in it when the run was evaluated (sample_evaluations). It is preselected
// only where that classifier is good enough on held-out items — the same skill bar the audit sets
// before it checks any label — and sure of this sample; otherwise it is shown with its confidence
// and the person decides.

import type { AugmentClassSuggestion, SampleEvaluation } from '../../../preload/contract';
import { MIN_SKILL } from '../../audit/labels/labelTrust';

/** Below this softmax probability a suggestion is shown but not preselected, however good the classifier. */
export const MIN_SUGGESTION_CONFIDENCE = 0.5;

const pct = (x: number): string => `${Math.round(x * 100)}%`;

/** The suggestion for one sample, or null when no evaluation gave its class. */
export function classSuggestion(
  evaluation: SampleEvaluation | null,
  classes: ReadonlySet<string>,
): AugmentClassSuggestion | null {
  const predicted = evaluation?.kind === 'image' ? evaluation.predictedClass : null;
  if (!predicted) return null;
  const { label, confidence, classifierAccuracy: accuracy, classifierChance: chance } = predicted;
  const judged =
    accuracy !== null && chance !== null
      ? `on held-out items the classifier is right ${pct(accuracy)} of the time (chance ${pct(chance)})`
      : 'the classifier was not measured on held-out items';
  let why: string;
  let preselect = false;
  if (!classes.has(label)) {
    why = `the dataset's newest version has no class "${label}"`;
  } else if (accuracy === null || chance === null || chance >= 1) {
    why = judged;
  } else if ((accuracy - chance) / (1 - chance) < MIN_SKILL) {
    why = `${judged}: not good enough to preselect`;
  } else if (confidence === null || confidence < MIN_SUGGESTION_CONFIDENCE) {
    why = `${judged}, but it is unsure of this sample`;
  } else {
    why = judged;
    preselect = true;
  }
  return { label, confidence, preselect, why };
}

/** The class most of the preselected suggestions agree on (the dialog's class for all), or null. */
export function commonSuggestion(
  suggestions: readonly (AugmentClassSuggestion | null)[],
): string | null {
  const votes = new Map<string, number>();
  for (const s of suggestions) if (s?.preselect) votes.set(s.label, (votes.get(s.label) ?? 0) + 1);
  let best: string | null = null;
  for (const [label, n] of votes)
    if (best === null || n > (votes.get(best) as number)) best = label;
  return best;
}
