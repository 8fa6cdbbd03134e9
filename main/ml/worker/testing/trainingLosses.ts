// Seeded training losses of a text model with some studio kernels in and swapped out: what each
// fused kernel's "leaves a training run the same to the bit" test compares.

import * as tf from '@tensorflow/tfjs';
import { buildCharGpt } from '../models/charGpt';
import type { TextModel } from '../models/model';
import { setStudioKernelsEnabled } from '../wasm/registerKernels';
import { repeatedPhrase, windowsOf } from './syntheticText';

/**
 * The losses of `steps` training steps (seeds 1, 2, …) of the model `build` makes for the
 * repeated phrase's vocabulary, each on `rows` seeded windows of `window` tokens.
 */
export function seededTextLosses(
  build: (vocabSize: number) => TextModel,
  rows: number,
  window: number,
  steps: number,
): number[] {
  const corpus = repeatedPhrase();
  const model = build(corpus.vocabulary.length);
  const losses: number[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const tokens = windowsOf(corpus.tokens, rows, window, step + 1);
      const batch = tf.tensor2d(tokens, [rows, window], 'int32');
      losses.push(model.trainStep(batch, { seed: step + 1 }).loss ?? NaN);
      batch.dispose();
    }
  } finally {
    model.dispose();
  }
  return losses;
}

/**
 * `losses()` with the named standalone studio kernels registered, then with them unregistered
 * (their callers take the op path), and registered again after.
 */
export function lossesWithAndWithout(
  names: readonly string[],
  losses: () => number[],
): { fused: number[]; byOps: number[] } {
  const fused = losses();
  setStudioKernelsEnabled(names, false);
  try {
    const left = names.filter((name) => tf.getKernel(name, 'wasm') !== undefined);
    if (left.length > 0) throw new Error(`${left.join(', ')} still registered`);
    return { fused, byOps: losses() };
  } finally {
    setStudioKernelsEnabled(names, true);
  }
}

/**
 * A tiny char-GPT's seeded losses (3 steps of 4 windows of 9 tokens; `layers` blocks of width 16,
 * 2 heads, context 8) with the named kernels and without them: what the GPT kernels' tests compare.
 */
export function charGptLossesWithAndWithout(
  names: readonly string[],
  { layers = 1, seed = 4 }: { layers?: number; seed?: number } = {},
): { fused: number[]; byOps: number[] } {
  const config = { contextLength: 8, layers, heads: 2, width: 16, batchSize: 4 };
  return lossesWithAndWithout(names, () =>
    seededTextLosses((vocabSize) => buildCharGpt({ vocabSize, ...config }, { seed }), 4, 9, 3),
  );
}
