import type { GenerateSamplesArgs } from '../../preload/contract';
import type { BatchProvenance } from './sampleWriter';

/**
 * The text sampling options the worker uses when a caller sets none (its DEFAULT_TEXT_SAMPLING,
 * which lives behind the tfjs boundary): training previews always draw with these.
 */
export const TRAINING_TEXT_SAMPLING = { prompt: '', temperature: 0.8, topK: 0, topP: 0.95 };

/** The class names of class ids, in the order the training data numbers them (sorted, null last). */
export function classNamesOf(labels: readonly (string | null)[]): (string | null)[] {
  const named = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  return labels.includes(null) ? [...named, null] : named;
}

/** A training preview: the run's seed (its noise is fixed by it) and the classes asked for. */
export function trainingBatch(
  seed: number,
  kind: 'image' | 'text',
  classIds: readonly number[] | undefined,
  classNames: readonly (string | null)[],
): BatchProvenance {
  if (kind === 'text') return { seed, ...TRAINING_TEXT_SAMPLING };
  return classIds ? { seed, classLabels: classIds.map((id) => classNames[id] ?? null) } : { seed };
}

/** A draw from a checkpoint: what was asked for, the worker's defaults for what was not. */
export function generatedBatch(
  args: GenerateSamplesArgs,
  kind: 'image' | 'text',
  classIds: readonly number[] | undefined,
  classNames: readonly (string | null)[],
): BatchProvenance {
  // The worker's own default seed is 1.
  const seed = args.seed ?? 1;
  if (kind === 'text') {
    const asked = {
      prompt: args.prompt,
      temperature: args.temperature,
      topK: args.topK,
      topP: args.topP,
    };
    const set = Object.fromEntries(Object.entries(asked).filter(([, v]) => v !== undefined));
    return { seed, origin: 'text', ...TRAINING_TEXT_SAMPLING, ...set };
  }
  const origin = args.mode ?? 'grid';
  return classIds
    ? { seed, origin, classLabels: classIds.map((id) => classNames[id] ?? null) }
    : { seed, origin };
}
