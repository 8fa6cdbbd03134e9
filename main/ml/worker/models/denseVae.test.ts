import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend';
import type { DenseVaeConfig } from '../../protocol';
import type { ImageBatch } from './model';
import { barImages } from '../testing/syntheticImages';
import { buildDenseVae } from './denseVae';

const config: DenseVaeConfig = {
  imageSize: 8,
  channels: 1,
  latentDim: 2,
  hiddenUnits: 16,
  batchSize: 8,
  steps: 200,
  learningRate: 1e-2,
  beta: 1,
  seed: 3,
};

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;
const barBatch = (): ImageBatch => ({ images: tf.tensor4d(barImages(8, 8).pixels, [8, 8, 8, 1]) });

describe('dense VAE', () => {
  beforeAll(async () => {
    const report = await resolveBackend({ preferBackend: 'wasm' });
    expect(report.active).toBe('wasm');
  });

  it('learns a handful of tiny images: the loss falls clearly within 200 steps', () => {
    const model = buildDenseVae(config);
    const batch = barBatch();
    const losses: number[] = [];
    for (let step = 0; step < config.steps; step++) {
      const metrics = model.trainStep(batch, { seed: step + 1 });
      expect(metrics.loss).toBeCloseTo(
        (metrics.reconstruction ?? NaN) + config.beta * (metrics.kl ?? NaN),
        3,
      );
      losses.push(metrics.loss ?? NaN);
    }
    batch.images.dispose();
    model.dispose();
    expect(mean(losses.slice(-10))).toBeLessThan(0.65 * mean(losses.slice(0, 10)));
  });

  it('keeps the tensor count flat over steps and frees everything it owns', () => {
    const before = tf.memory().numTensors;
    const model = buildDenseVae(config);
    const batch = barBatch();
    model.trainStep(batch);
    const afterFirstStep = tf.memory().numTensors;
    for (let step = 1; step < 20; step++) model.trainStep(batch, { seed: step + 1 });
    model.evaluate(batch);
    expect(tf.memory().numTensors).toBe(afterFirstStep);

    const noise = tf.randomNormal([4, config.latentDim], 0, 1, 'float32', 1) as tf.Tensor2D;
    model.generate(noise).dispose();
    noise.dispose();
    expect(tf.memory().numTensors).toBe(afterFirstStep);

    batch.images.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('samples pixels in [0, 1] of the image size', () => {
    const model = buildDenseVae(config);
    const noise = tf.randomNormal([3, config.latentDim], 0, 1, 'float32', 1) as tf.Tensor2D;
    const pixels = model.generate(noise);
    expect(pixels.shape).toEqual([3, 8, 8, 1]);
    const values = pixels.dataSync();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    pixels.dispose();
    noise.dispose();
    model.dispose();
  });

  it('is repeatable from its seed', () => {
    const run = (): number[] => {
      const model = buildDenseVae(config);
      const batch = barBatch();
      const losses = [1, 2, 3].map((step) => model.trainStep(batch, { seed: step }).loss ?? NaN);
      batch.images.dispose();
      model.dispose();
      return losses;
    };
    expect(run()).toEqual(run());
  });

  it('rejects a config it cannot build', () => {
    expect(() => buildDenseVae({ ...config, latentDim: 0 })).toThrow(/latentDim/);
    expect(() => buildDenseVae({ ...config, hidenUnits: 3 } as DenseVaeConfig)).toThrow(
      /unknown keys: hidenUnits/,
    );
  });
});
