// The studio's own feature network for judging generated images (issue 11): no pretrained
// Inception to download, so each dataset version trains a small one of its own — a convolutional
// classifier where the items are labeled, a small autoencoder where they are not — and its
// penultimate layer is the embedding the realism and memorisation metrics compare.
//
// It is trained from a seed (initialisation and batch order), so a version always gets the same
// network on the same backend, and it leaves as plain Float32Arrays (FeatureNetworkWeights), so
// main can cache it per version (main/evaluation/featureNetworkStore.ts) and every run on that
// version is judged by the same yardstick.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../../../common/random';
import type { ImageTensorData } from '../../protocol';
import { Adam } from '../training/optimizer';
import { affine, conv, ParameterSet, softmaxCrossEntropy } from '../models/layers';
import {
  FEATURE_NETWORK_FORMAT,
  type FeatureNetworkOptions,
  type FeatureNetworkWeights,
} from '../../../evaluation/featureNetworkStore';

export type { FeatureNetworkOptions, FeatureNetworkWeights };

export const FEATURE_NETWORK_DEFAULTS: FeatureNetworkOptions = {
  steps: 300,
  batchSize: 64,
  learningRate: 0.002,
  embeddingDim: 64,
  filters: [8, 16],
  seed: 1,
};

export interface FeatureNetworkHooks {
  onProgress?(done: number, total: number): void;
  /** Asked between steps; true ends the training with FeatureNetworkStopped. */
  shouldStop?(): boolean;
}

export class FeatureNetworkStopped extends Error {
  constructor() {
    super('Training the feature network was stopped.');
    this.name = 'FeatureNetworkStopped';
  }
}

const YIELD_EVERY = 25;
const EMBED_CHUNK = 256;

/** Output size of a stride-2 'same' convolution. */
const halve = (size: number): number => Math.ceil(size / 2);

interface Layers {
  conv1: tf.Variable; // [3, 3, C, F1]
  conv1Bias: tf.Variable; // [F1]
  conv2: tf.Variable; // [3, 3, F1, F2]
  conv2Bias: tf.Variable; // [F2]
  embed: tf.Variable; // [H/4·W/4·F2, E]
  embedBias: tf.Variable; // [E]
  head: tf.Variable; // [E, K] classifier, [E, H·W·C] autoencoder
  headBias: tf.Variable; // [K] or [H·W·C]
}

interface Shape {
  kind: FeatureNetworkWeights['kind'];
  height: number;
  width: number;
  channels: number;
  classCount: number;
  embeddingDim: number;
  filters: [number, number];
}

function flatSize(shape: Shape): number {
  return halve(halve(shape.height)) * halve(halve(shape.width)) * shape.filters[1];
}

function buildLayers(shape: Shape, params: ParameterSet): Layers {
  const [f1, f2] = shape.filters;
  const c = shape.channels;
  const flat = flatSize(shape);
  const outputs = shape.kind === 'classifier' ? shape.classCount : shape.height * shape.width * c;
  return {
    conv1: params.glorot('conv1', [3, 3, c, f1], 9 * c, 9 * f1),
    conv1Bias: params.constant('conv1.bias', [f1], 0),
    conv2: params.glorot('conv2', [3, 3, f1, f2], 9 * f1, 9 * f2),
    conv2Bias: params.constant('conv2.bias', [f2], 0),
    embed: params.glorot('embed', [flat, shape.embeddingDim], flat, shape.embeddingDim),
    embedBias: params.constant('embed.bias', [shape.embeddingDim], 0),
    head: params.glorot('head', [shape.embeddingDim, outputs], shape.embeddingDim, outputs),
    headBias: params.constant('head.bias', [outputs], 0),
  };
}

/** images [B, H, W, C] → embedding [B, E] (the penultimate layer). */
function embedding(layers: Layers, shape: Shape, images: tf.Tensor4D): tf.Tensor2D {
  const h1 = tf.relu(conv(images, layers.conv1 as tf.Tensor4D, layers.conv1Bias as tf.Tensor1D, 2));
  const h2 = tf.relu(conv(h1, layers.conv2 as tf.Tensor4D, layers.conv2Bias as tf.Tensor1D, 2));
  const flat = h2.reshape([images.shape[0], flatSize(shape)]) as tf.Tensor2D;
  const z = affine(flat, layers.embed as tf.Tensor2D, layers.embedBias as tf.Tensor1D);
  // The classifier's hidden layer is a ReLU; the autoencoder's code stays linear (a bottleneck
  // with dead units would throw away what it is meant to keep).
  return shape.kind === 'classifier' ? tf.relu(z) : z;
}

function head(layers: Layers, z: tf.Tensor2D): tf.Tensor2D {
  return affine(z, layers.head as tf.Tensor2D, layers.headBias as tf.Tensor1D);
}

function imageTensor(images: ImageTensorData, from: number, count: number): tf.Tensor4D {
  const size = images.height * images.width * images.channels;
  return tf.tensor4d(images.pixels.subarray(from * size, (from + count) * size), [
    count,
    images.height,
    images.width,
    images.channels,
  ]);
}

/**
 * Trains the feature network on `images` (the version's train items): a classifier when `labels`
 * are given and there are at least two classes, else an autoencoder.
 */
export async function trainFeatureNetwork(
  images: ImageTensorData,
  labels: Int32Array | undefined,
  classCount: number,
  options: Partial<FeatureNetworkOptions> = {},
  hooks: FeatureNetworkHooks = {},
): Promise<FeatureNetworkWeights> {
  const o = { ...FEATURE_NETWORK_DEFAULTS, ...options };
  if (images.count === 0) throw new RangeError('The feature network needs at least one image.');
  if (labels !== undefined && labels.length !== images.count) {
    throw new RangeError(`${labels.length} labels for ${images.count} images`);
  }
  const classifier = labels !== undefined && classCount >= 2;
  const shape: Shape = {
    kind: classifier ? 'classifier' : 'autoencoder',
    height: images.height,
    width: images.width,
    channels: images.channels,
    classCount: classifier ? classCount : 0,
    embeddingDim: o.embeddingDim,
    filters: o.filters,
  };
  const params = new ParameterSet(o.seed);
  const layers = buildLayers(shape, params);
  const optimizer = new Adam(params.all, {
    learningRate: o.learningRate,
    beta1: 0.9,
    beta2: 0.999,
    weightDecay: 0,
    gradClip: 0,
  });
  const random = seededRandom(o.seed);
  const size = images.height * images.width * images.channels;
  const batch = Math.min(o.batchSize, images.count);
  const xb = new Float32Array(batch * size);
  const yb = new Int32Array(batch);
  const recentLosses: number[] = [];
  try {
    for (let step = 0; step < o.steps; step++) {
      for (let b = 0; b < batch; b++) {
        const i = Math.floor(random() * images.count);
        xb.set(images.pixels.subarray(i * size, (i + 1) * size), b * size);
        if (labels) yb[b] = labels[i] as number;
      }
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(xb, [batch, images.height, images.width, images.channels]);
        const objective = (): tf.Scalar => {
          const output = head(layers, embedding(layers, shape, x)); // [B, K] or [B, H·W·C]
          if (classifier) return softmaxCrossEntropy(output, tf.tensor1d(yb, 'int32'));
          return tf
            .sigmoid(output)
            .sub(x.reshape([batch, size]))
            .square()
            .mean() as tf.Scalar;
        };
        return optimizer.minimize(objective).loss.dataSync()[0] as number;
      });
      recentLosses.push(loss);
      if (recentLosses.length > YIELD_EVERY) recentLosses.shift();
      if (step % YIELD_EVERY === YIELD_EVERY - 1) {
        hooks.onProgress?.(step + 1, o.steps);
        await yieldToEventLoop();
      }
      if (hooks.shouldStop?.()) throw new FeatureNetworkStopped();
    }
    hooks.onProgress?.(o.steps, o.steps);
    return {
      format: FEATURE_NETWORK_FORMAT,
      ...shape,
      finalLoss: recentLosses.reduce((sum, l) => sum + l, 0) / Math.max(recentLosses.length, 1),
      tensors: params.all.map((p) => ({
        name: p.name,
        shape: [...p.variable.shape],
        // A copy: on some backends dataSync hands back the storage the dispose below releases.
        values: new Float32Array(p.variable.dataSync()),
      })),
    };
  } finally {
    optimizer.dispose();
    params.dispose();
  }
}

/** A trained feature network, rebuilt from its weights, that embeds (and classifies) images. */
export class FeatureNetwork {
  private readonly params: ParameterSet;
  private readonly layers: Layers;

  private constructor(
    readonly weights: FeatureNetworkWeights,
    private readonly shape: Shape,
  ) {
    if (weights.format !== FEATURE_NETWORK_FORMAT) {
      throw new RangeError(`Not a feature network of this studio (${String(weights.format)}).`);
    }
    const params = new ParameterSet(0);
    const layers = buildLayers(shape, params);
    for (const p of params.all) {
      const saved = weights.tensors.find((t) => t.name === p.name);
      if (!saved || saved.values.length !== p.variable.size) {
        params.dispose();
        throw new RangeError(`The feature network's ${p.name} is missing or the wrong size.`);
      }
      tf.tidy(() => p.variable.assign(tf.tensor(saved.values, p.variable.shape)));
    }
    this.params = params;
    this.layers = layers;
  }

  static fromWeights(weights: FeatureNetworkWeights): FeatureNetwork {
    const { kind, height, width, channels, classCount, embeddingDim, filters } = weights;
    return new FeatureNetwork(weights, {
      kind,
      height,
      width,
      channels,
      classCount,
      embeddingDim,
      filters,
    });
  }

  get embeddingDim(): number {
    return this.shape.embeddingDim;
  }

  private checkImages(images: ImageTensorData): void {
    const { height, width, channels } = this.shape;
    if (images.height !== height || images.width !== width || images.channels !== channels) {
      throw new RangeError(
        `The feature network takes ${width}×${height}×${channels} images, not ` +
          `${images.width}×${images.height}×${images.channels}.`,
      );
    }
  }

  /** [count, embeddingDim] row-major: one embedding row per image. */
  embed(images: ImageTensorData): Float32Array {
    this.checkImages(images);
    const out = new Float32Array(images.count * this.shape.embeddingDim);
    for (let from = 0; from < images.count; from += EMBED_CHUNK) {
      const count = Math.min(EMBED_CHUNK, images.count - from);
      const rows = tf.tidy(() =>
        embedding(this.layers, this.shape, imageTensor(images, from, count)).dataSync(),
      );
      out.set(rows, from * this.shape.embeddingDim);
    }
    return out;
  }

  /** The class the classifier sees in each image (an autoencoder cannot say). */
  classify(images: ImageTensorData): Int32Array {
    return this.predict(images).classes;
  }

  /**
   * The class the classifier sees in each image, its softmax probability (how sure it is, which
   * says nothing yet of how often it is right: see the held-out accuracy), and every class's
   * probability, row-major [count, classCount].
   */
  predict(images: ImageTensorData): {
    classes: Int32Array;
    confidence: Float32Array;
    probabilities: Float32Array;
  } {
    if (this.shape.kind !== 'classifier') {
      throw new RangeError('An autoencoder feature network does not predict classes.');
    }
    this.checkImages(images);
    const k = this.shape.classCount;
    const classes = new Int32Array(images.count);
    const confidence = new Float32Array(images.count);
    const probabilities = new Float32Array(images.count * k);
    for (let from = 0; from < images.count; from += EMBED_CHUNK) {
      const count = Math.min(EMBED_CHUNK, images.count - from);
      const [top, chunk] = tf.tidy(() => {
        const logits = head(
          this.layers,
          embedding(this.layers, this.shape, imageTensor(images, from, count)),
        );
        return [logits.argMax(1).dataSync(), tf.softmax(logits).dataSync()];
      });
      classes.set(top as Int32Array, from);
      probabilities.set(chunk as Float32Array, from * k);
      for (let i = 0; i < count; i++) {
        const c = (top as Int32Array)[i] as number;
        confidence[from + i] = (chunk as Float32Array)[i * k + c] as number;
      }
    }
    return { classes, confidence, probabilities };
  }

  dispose(): void {
    this.params.dispose();
  }
}
