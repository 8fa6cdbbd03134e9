import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../testing/backend';
import { barImages } from '../testing/syntheticImages';
import { parameterCount } from '../../config/configs';
import { buildConvVae } from './convVae';
import { buildDcgan } from './dcgan';
import type { ImageBatch } from './model';

// Tiny shapes: these run on the pure-JS cpu backend until wasm has conv gradients.
const size = 8;
const images = (): ImageBatch => ({
  images: tf.tensor4d(barImages(8, size).pixels, [8, size, size, 1]),
  labels: tf.tensor1d([0, 1, 0, 1, 0, 1, 0, 1], 'int32'), // vertical bars 0, horizontal 1
});
/** The same bars in [−1, 1], the range a DCGAN trains on (config/pixelRange.ts). */
const ganImages = (): ImageBatch => {
  const batch = images();
  const inRange = tf.tidy(() => batch.images.mul(2).sub(1) as tf.Tensor4D);
  batch.images.dispose();
  return { ...batch, images: inRange };
};
const dispose = (batch: ImageBatch): void => {
  batch.images.dispose();
  batch.labels?.dispose();
};
const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

const vaeConfig = {
  imageSize: size,
  channels: 1,
  latentDim: 4,
  filters: [4, 8],
  batchSize: 8,
  learningRate: 2e-2,
};
const ganConfig = {
  imageSize: size,
  channels: 1,
  latentDim: 8,
  generatorFilters: [8, 4],
  discriminatorFilters: [4, 8],
  batchSize: 8,
  learningRate: 2e-3,
};

describe('conv VAE', () => {
  beforeAll(async () => {
    await useTestBackend('conv');
  });

  it('reconstructs a handful of images: the loss falls clearly, and loss = reconstruction + β·KL', () => {
    const model = buildConvVae(vaeConfig, { seed: 2 });
    const batch = images();
    const losses: number[] = [];
    for (let step = 0; step < 100; step++) {
      const metrics = model.trainStep(batch, { seed: step + 1 });
      expect(metrics.loss).toBeCloseTo((metrics.reconstruction ?? NaN) + (metrics.kl ?? NaN), 3);
      losses.push(metrics.loss ?? NaN);
    }
    expect(mean(losses.slice(-5))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
    dispose(batch);
    model.dispose();
  });

  it('generates, encodes and keeps the tensor count flat', () => {
    const before = tf.memory().numTensors;
    const model = buildConvVae(vaeConfig, { seed: 2 });
    const batch = images();
    model.trainStep(batch);
    const afterFirstStep = tf.memory().numTensors;
    for (let step = 0; step < 4; step++) model.trainStep(batch, { seed: step + 2 });
    model.evaluate(batch);
    const noise = tf.randomNormal([3, 4], 0, 1, 'float32', 1) as tf.Tensor2D;
    const generated = model.generate(noise);
    expect(generated.shape).toEqual([3, size, size, 1]);
    const values = generated.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    const means = model.encode(batch.images);
    expect(means.shape).toEqual([8, 4]);
    tf.dispose([noise, generated, means]);
    expect(tf.memory().numTensors).toBe(afterFirstStep);
    expect(model.size().parameters).toBe(
      parameterCount({ family: 'conv-vae', config: model.config }),
    );
    dispose(batch);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a config it cannot build, naming the field', () => {
    expect(() => buildConvVae({ ...vaeConfig, imageSize: 10 })).toThrow(
      /imageSize 10 must be divisible by 4/,
    );
    expect(() => buildConvVae({ ...vaeConfig, latentDim: 0 })).toThrow(/latentDim/);
    expect(() => buildConvVae({ ...vaeConfig, filterz: [1] })).toThrow(/unknown keys: filterz/);
  });
});

describe.each([
  ['unconditional', 0],
  ['class-conditional', 2],
])('DCGAN, %s', (_name, classCount) => {
  beforeAll(async () => {
    await useTestBackend('conv');
  });

  it('trains: D and G losses stay finite and move, D tells real from fake early on, samples are finite', () => {
    const model = buildDcgan({ ...ganConfig, classCount }, { seed: 4 });
    const batch = ganImages();
    const history: Record<string, number>[] = [];
    for (let step = 0; step < 30; step++) history.push(model.trainStep(batch, { seed: step + 1 }));
    for (const metrics of history) {
      for (const key of ['dLoss', 'gLoss', 'dReal', 'dFake'])
        expect(Number.isFinite(metrics[key])).toBe(true);
    }
    // At the start D is at chance: dLoss ≈ 2·ln 2 (with smoothing a little more), gLoss ≈ ln 2.
    expect(history[0]?.dLoss).toBeGreaterThan(1.2);
    expect(history[0]?.dLoss).toBeLessThan(1.6);
    expect(history[0]?.gLoss).toBeGreaterThan(0.5);
    expect(history[0]?.gLoss).toBeLessThan(0.9);
    // D learns first on such easy data: its loss falls and it scores real above fake.
    const late = history.slice(-5);
    expect(mean(late.map((m) => m.dLoss ?? NaN))).toBeLessThan(history[0]?.dLoss ?? 0);
    expect(mean(late.map((m) => (m.dReal ?? 0) - (m.dFake ?? 0)))).toBeGreaterThan(0);
    const noise = tf.randomNormal([4, 8], 0, 1, 'float32', 9) as tf.Tensor2D;
    const labels = classCount > 0 ? tf.tensor1d([0, 1, 0, 1], 'int32') : undefined;
    const samples = model.generate(noise, labels);
    expect(samples.shape).toEqual([4, size, size, 1]);
    const values = samples.dataSync();
    expect(values.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    tf.dispose([noise, samples, ...(labels ? [labels] : [])]);
    dispose(batch);
    model.dispose();
  });

  it('keeps the tensor count flat over steps (running statistics included) and frees everything', () => {
    const before = tf.memory().numTensors;
    const model = buildDcgan({ ...ganConfig, classCount }, { seed: 4 });
    const batch = ganImages();
    model.trainStep(batch);
    const afterFirstStep = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) model.trainStep(batch, { seed: step + 2 });
    model.evaluate(batch);
    expect(tf.memory().numTensors).toBe(afterFirstStep);
    expect(model.size().parameters).toBe(parameterCount({ family: 'dcgan', config: model.config }));
    dispose(batch);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
