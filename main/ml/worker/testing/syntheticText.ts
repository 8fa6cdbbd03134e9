// A tiny corpus for the character-model tests: one phrase repeated, which a model can learn to
// near-zero loss in a few dozen steps.

import { buildVocabulary, encodeText } from '../training/vocabulary';

export const PHRASE = 'hello world. ';

export function repeatedPhrase(repeats = 20): {
  text: string;
  vocabulary: string[];
  tokens: Int32Array;
} {
  const text = PHRASE.repeat(repeats);
  const vocabulary = buildVocabulary(text);
  return { text, vocabulary, tokens: encodeText(text, vocabulary) };
}

/** Random windows [B, T+1] of the corpus as a flat Int32Array, seeded. */
export function windowsOf(
  tokens: Int32Array,
  batch: number,
  window: number,
  seed: number,
): Int32Array {
  const out = new Int32Array(batch * window);
  let state = seed;
  for (let b = 0; b < batch; b++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const offset = state % (tokens.length - window);
    out.set(tokens.subarray(offset, offset + window), b * window);
  }
  return out;
}

/** The corpus split as a text version would hand it over: its tail (`fraction` of it) validates. */
export function textParts(
  tokens: Int32Array,
  fraction: number,
): { train: Int32Array; validation: Int32Array } {
  const cut = tokens.length - Math.floor(tokens.length * fraction);
  return { train: tokens.slice(0, cut), validation: tokens.slice(cut) };
}
