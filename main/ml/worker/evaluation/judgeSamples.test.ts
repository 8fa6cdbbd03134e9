import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImageTensorData } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { classBlobImages, noiseImages } from '../testing/syntheticImages';
import { FeatureNetwork, trainFeatureNetwork } from './featureNetwork';
import { judgeImageSamples } from './judgeSamples';

const SIZE = 16;
const CLASSES = 4;
const train = classBlobImages(96, SIZE, CLASSES, 1);
const validation = classBlobImages(48, SIZE, CLASSES, 2);
const fresh = classBlobImages(48, SIZE, CLASSES, 3);
const KID = { subsets: 3, subsetSize: 40, seed: 1 };

/** The images of `set` whose label is in `keep`. */
function onlyClasses(set: ReturnType<typeof classBlobImages>, keep: number[]): ImageTensorData {
  const size = SIZE * SIZE;
  const rows = [...set.labels.keys()].filter((i) => keep.includes(set.labels[i] as number));
  const pixels = new Float32Array(rows.length * size);
  rows.forEach((row, i) =>
    pixels.set(set.images.pixels.subarray(row * size, (row + 1) * size), i * size),
  );
  return { pixels, count: rows.length, height: SIZE, width: SIZE, channels: 1 };
}

describe('judging images at hand', () => {
  let network: FeatureNetwork;
  const against = {
    train: train.images,
    validation: validation.images,
    trainLabels: train.labels,
    kid: KID,
  };
  beforeAll(async () => {
    await useTestBackend('conv');
    const weights = await trainFeatureNetwork(train.images, train.labels, CLASSES, {
      steps: 80,
      batchSize: 32,
      embeddingDim: 16,
      seed: 1,
    });
    network = FeatureNetwork.fromWeights(weights);
  });
  afterAll(() => network.dispose());

  it('scores fresh images of the data far better than noise, the same each time, without leaks', () => {
    const before = tf.memory().numTensors;
    const good = judgeImageSamples(network, fresh.images, against);
    const noise = judgeImageSamples(network, noiseImages(48, SIZE, 4), against);
    expect(tf.memory().numTensors).toBe(before);
    expect(noise.metrics.eval_frechet_distance).toBeGreaterThan(
      5 * (good.metrics.eval_frechet_distance as number),
    );
    expect(good.metrics.eval_coverage).toBeGreaterThan(2 * (noise.metrics.eval_coverage as number));
    expect(judgeImageSamples(network, fresh.images, against).metrics).toEqual(good.metrics);
    // A classifier network and train labels: what it sees in each sample, and the class spread.
    expect(good.prediction?.classes).toHaveLength(48);
    expect(good.evaluation.classes?.missingClasses).toEqual([]);
  });

  it('shows the classes a sample set lacks, and flags training items passed off as samples', () => {
    const half = judgeImageSamples(network, onlyClasses(fresh, [0, 1]), against);
    expect(half.evaluation.classes?.missingClasses.length).toBeGreaterThanOrEqual(1);
    const copies = judgeImageSamples(network, train.images, against);
    expect(copies.evaluation.memorisation.nearCopyShare).toBeGreaterThan(0.9);
    const full = judgeImageSamples(network, fresh.images, against);
    expect(full.evaluation.memorisation.nearCopyShare).toBeLessThan(0.5);
  });

  it('judges without classes when no train labels are given', () => {
    const judged = judgeImageSamples(network, fresh.images, {
      train: train.images,
      validation: validation.images,
      kid: KID,
    });
    expect(judged.prediction).toBeUndefined();
    expect(judged.evaluation.classes).toBeUndefined();
    expect(judged.metrics.eval_frechet_distance).toBeGreaterThanOrEqual(0);
  });
});
