import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { featureRows, nearestRows } from '../../../evaluation/features';
import { frechetDistance } from '../../../evaluation/frechet';
import { manifoldMetrics } from '../../../evaluation/manifold';
import type { ImageTensorData } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { classBlobImages, noiseImages } from '../testing/syntheticImages';
import {
  FeatureNetwork,
  FeatureNetworkStopped,
  trainFeatureNetwork,
  type FeatureNetworkOptions,
  type FeatureNetworkWeights,
} from './featureNetwork';

const SIZE = 28;
const CLASSES = 6;
const OPTIONS: Partial<FeatureNetworkOptions> = {
  steps: 120,
  batchSize: 32,
  embeddingDim: 32,
  seed: 3,
};
const train = classBlobImages(120, SIZE, CLASSES, 1);
const heldOut = classBlobImages(60, SIZE, CLASSES, 2);

/** Held-out accuracy of a 1-nearest-neighbour vote in the embedding: does it separate the classes? */
function nearestNeighbourAccuracy(network: FeatureNetwork): number {
  const dim = network.embeddingDim;
  const nearest = nearestRows(
    featureRows(network.embed(heldOut.images), dim),
    featureRows(network.embed(train.images), dim),
  );
  let hits = 0;
  nearest.index.forEach((row, i) => {
    if (train.labels[row] === heldOut.labels[i]) hits++;
  });
  return hits / heldOut.labels.length;
}

describe('the feature network', () => {
  let weights: FeatureNetworkWeights;
  beforeAll(async () => {
    await useTestBackend('conv');
    weights = await trainFeatureNetwork(train.images, train.labels, CLASSES, OPTIONS);
  });

  it('is a classifier on labeled items whose embedding separates held-out classes', () => {
    expect(weights.kind).toBe('classifier');
    const network = FeatureNetwork.fromWeights(weights);
    try {
      const chance = 1 / CLASSES;
      expect(nearestNeighbourAccuracy(network)).toBeGreaterThan(Math.max(0.8, 3 * chance));
      const predicted = network.classify(heldOut.images);
      const accuracy =
        predicted.filter((c, i) => c === heldOut.labels[i]).length / predicted.length;
      expect(accuracy).toBeGreaterThan(0.8);
    } finally {
      network.dispose();
    }
  });

  it('is the same network for the same seed, and another for another seed', async () => {
    const again = await trainFeatureNetwork(train.images, train.labels, CLASSES, OPTIONS);
    expect(again.tensors).toEqual(weights.tensors);
    const other = await trainFeatureNetwork(train.images, train.labels, CLASSES, {
      ...OPTIONS,
      steps: 2,
      seed: 4,
    });
    expect(other.tensors[0]?.values).not.toEqual(weights.tensors[0]?.values);
  });

  it('survives a structured clone (what a worker message does) with the same embedding', () => {
    const original = FeatureNetwork.fromWeights(weights);
    const copy = FeatureNetwork.fromWeights(structuredClone(weights));
    try {
      expect(copy.embed(heldOut.images)).toEqual(original.embed(heldOut.images));
    } finally {
      original.dispose();
      copy.dispose();
    }
  });

  it('leaks no tensors over repeated embed and classify calls, nor once disposed', () => {
    const before = tf.memory().numTensors;
    const network = FeatureNetwork.fromWeights(weights);
    const withNetwork = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      network.embed(heldOut.images);
      network.classify(heldOut.images);
      expect(tf.memory().numTensors).toBe(withNetwork);
    }
    network.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('puts held-out images far nearer the training items than noise or blank images', () => {
    const network = FeatureNetwork.fromWeights(weights);
    try {
      const dim = network.embeddingDim;
      const rows = (images: ImageTensorData) => featureRows(network.embed(images), dim);
      const blank: ImageTensorData = {
        ...heldOut.images,
        pixels: new Float32Array(heldOut.images.pixels.length),
      };
      const reference = rows(train.images);
      const validation = rows(heldOut.images);
      const fd = {
        validation: frechetDistance(reference, validation),
        noise: frechetDistance(reference, rows(noiseImages(60, SIZE, 5))),
        blank: frechetDistance(reference, rows(blank)),
      };
      expect(fd.noise).toBeGreaterThan(5 * fd.validation);
      expect(fd.blank).toBeGreaterThan(5 * fd.validation);
      const coverage = manifoldMetrics(reference, validation).coverage;
      expect(coverage).toBeGreaterThan(0.5);
      expect(manifoldMetrics(reference, rows(noiseImages(60, SIZE, 5))).coverage).toBeLessThan(
        coverage / 2,
      );
    } finally {
      network.dispose();
    }
  });

  it('is an autoencoder without labels, and its embedding still tells the classes apart', async () => {
    const auto = await trainFeatureNetwork(train.images, undefined, 0, { ...OPTIONS, steps: 200 });
    expect(auto.kind).toBe('autoencoder');
    const network = FeatureNetwork.fromWeights(auto);
    try {
      expect(nearestNeighbourAccuracy(network)).toBeGreaterThan(3 / CLASSES);
      expect(() => network.classify(heldOut.images)).toThrow(RangeError);
    } finally {
      network.dispose();
    }
  });

  it('stops when asked and leaks nothing', async () => {
    const before = tf.memory().numTensors;
    await expect(
      trainFeatureNetwork(train.images, train.labels, CLASSES, OPTIONS, { shouldStop: () => true }),
    ).rejects.toBeInstanceOf(FeatureNetworkStopped);
    expect(tf.memory().numTensors).toBe(before);
  });
});
