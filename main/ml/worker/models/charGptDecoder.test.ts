import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { repeatedPhrase, windowsOf } from '../testing/syntheticText';
import { useTestBackend } from '../testing/backend';
import { buildCharGpt, type CharGpt } from './charGpt';
import { DEFAULT_TEXT_DECODING, generateTexts } from '../training/generation';

// The char GPT's key/value cache (issue 14): the cached decoder must compute what rerunning the
// whole context computes, before the context fills and after (where it falls back to the rerun),
// so that a seed's text stays what it was without the cache.

const corpus = repeatedPhrase(30);
const V = corpus.vocabulary.length;
const T = 8;

function trainedGpt(steps: number): CharGpt {
  const model = buildCharGpt(
    { vocabSize: V, contextLength: T, layers: 2, heads: 2, width: 16, batchSize: 8 },
    { seed: 5 },
  );
  for (let step = 0; step < steps; step++) {
    const batch = tf.tensor2d(windowsOf(corpus.tokens, 8, T + 1, step + 1), [8, T + 1], 'int32');
    model.trainStep(batch, { seed: step + 1 });
    batch.dispose();
  }
  return model;
}

describe('the char GPT decoder with a key/value cache', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('gives the logits of rerunning the context, before and after the context fills', () => {
    const model = trainedGpt(10);
    const cached = model.decoder(3);
    const rerun = model.recomputingDecoder(3);
    const seen: number[] = [];
    // Different characters per sequence, for 2·T + 3 characters: the cache, then the cropped window.
    for (let i = 0; i < 2 * T + 3; i++) {
      const tokens = Int32Array.from([0, 1, 2], (s) => (i * 3 + s * 5) % V);
      const a = cached.next(tokens);
      const b = rerun.next(tokens);
      expect(a).toHaveLength(3 * V);
      let worst = 0;
      for (let j = 0; j < a.length; j++)
        worst = Math.max(worst, Math.abs((a[j] ?? 0) - (b[j] ?? 0)));
      seen.push(worst);
    }
    cached.dispose();
    rerun.dispose();
    model.dispose();
    expect(Math.max(...seen)).toBeLessThan(1e-5);
  });

  it('generates the same texts for a seed as without the cache, past the context', () => {
    const model = trainedGpt(20);
    const options = { ...DEFAULT_TEXT_DECODING, count: 4, maxLength: 3 * T, temperature: 1 };
    const withCache = generateTexts(model, corpus.vocabulary, options, 11);
    const without = generateTexts(
      { ...model, decoder: model.recomputingDecoder },
      corpus.vocabulary,
      options,
      11,
    );
    model.dispose();
    expect(withCache).toEqual(without);
    expect(withCache.every((text) => text.length === 3 * T)).toBe(true);
    // Not one text four times: the draw varies, so the comparison means something.
    expect(new Set(withCache).size).toBeGreaterThan(1);
  });

  it('keeps the tensor count flat over a long decode and frees its cache', () => {
    const model = trainedGpt(1);
    const before = tf.memory().numTensors;
    const decoder = model.decoder(2);
    decoder.next(Int32Array.of(1, 2));
    const held = tf.memory().numTensors;
    for (let i = 0; i < T - 2; i++) decoder.next(Int32Array.of(1, 2));
    expect(tf.memory().numTensors).toBe(held);
    for (let i = 0; i < T + 2; i++) decoder.next(Int32Array.of(2, 1));
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
