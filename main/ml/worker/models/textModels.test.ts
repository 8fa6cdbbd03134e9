import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { repeatedPhrase, windowsOf } from '../testing/syntheticText';
import { useTestBackend } from '../testing/backend';
import { buildCharGpt } from './charGpt';
import { buildCharRnn } from './charRnn';
import { parameterCount } from '../../config/configs';
import type { TextModel } from './model';

const corpus = repeatedPhrase();
const V = corpus.vocabulary.length;
const T = 8;
const STEPS = 80;

const builders: [string, () => TextModel][] = [
  [
    'LSTM',
    () =>
      buildCharRnn(
        {
          cell: 'lstm',
          vocabSize: V,
          sequenceLength: T,
          embeddingDim: 8,
          hiddenUnits: 32,
          batchSize: 8,
          learningRate: 3e-2,
        },
        { seed: 3 },
      ),
  ],
  [
    'GRU (2 layers)',
    () =>
      buildCharRnn(
        {
          cell: 'gru',
          vocabSize: V,
          sequenceLength: T,
          embeddingDim: 8,
          hiddenUnits: 24,
          layers: 2,
          batchSize: 8,
          learningRate: 3e-2,
        },
        { seed: 3 },
      ),
  ],
  [
    'GPT',
    () =>
      buildCharGpt(
        {
          vocabSize: V,
          contextLength: T,
          layers: 2,
          heads: 2,
          width: 16,
          batchSize: 8,
          learningRate: 1e-2,
          weightDecay: 0,
        },
        { seed: 3 },
      ),
  ],
];

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

describe.each(builders)('char %s', (_name, build) => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('learns a repeated phrase to near-zero loss', () => {
    const model = build();
    const losses: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const batch = tf.tensor2d(windowsOf(corpus.tokens, 8, T + 1, step + 1), [8, T + 1], 'int32');
      losses.push(model.trainStep(batch, { seed: step + 1 }).loss ?? NaN);
      batch.dispose();
    }
    model.dispose();
    expect(mean(losses.slice(0, 3))).toBeGreaterThan(1.5); // ≈ ln(V) at the start
    // The phrase is deterministic after its first character: only where a window starts is unknown.
    expect(mean(losses.slice(-5))).toBeLessThan(0.25);
  });

  it('keeps the tensor count flat over steps and decoding, and frees everything it owns', () => {
    const before = tf.memory().numTensors;
    const model = build();
    const batch = tf.tensor2d(windowsOf(corpus.tokens, 8, T + 1, 1), [8, T + 1], 'int32');
    model.trainStep(batch);
    const afterFirstStep = tf.memory().numTensors;
    for (let step = 0; step < 5; step++) model.trainStep(batch, { seed: step + 2 });
    model.evaluate(batch);
    expect(tf.memory().numTensors).toBe(afterFirstStep);
    const decoder = model.decoder(2);
    for (let i = 0; i < T + 3; i++) expect(decoder.next(Int32Array.of(1, 2))).toHaveLength(2 * V);
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(afterFirstStep);
    batch.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts the parameters its config says', () => {
    const model = build();
    const spec =
      model.family === 'char-gpt'
        ? { family: 'char-gpt' as const, config: (model as ReturnType<typeof buildCharGpt>).config }
        : {
            family: 'char-rnn' as const,
            config: (model as ReturnType<typeof buildCharRnn>).config,
          };
    expect(model.size().parameters).toBe(parameterCount(spec));
    model.dispose();
  });
});
