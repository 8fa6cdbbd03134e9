// Where the training loop's batches come from: the dataset version's train part in a seeded (and
// resumable) order, and fixed batches of its validation part. The split is the version's, as it
// arrives; nothing here holds out data of its own choosing.

import * as tf from '@tensorflow/tfjs';
import { StudioFailure } from '../../../common/failure';
import type { PixelRange } from '../../config/pixelRange';
import type { ImageBatch, TextBatch } from '../models/model';
import type { ImageAugmentation, ImageJobData, ImageJobPart, TextJobData } from '../../protocol';
import { BatchSampler, type SamplerState } from './batches';
import { augmentImages } from '../../../common/augment';
import { derivedSeed, SeededRandom } from '../../../common/random';
import { BalancedBatches } from './balancedBatches';

export interface BatchSource<Batch> {
  readonly trainCount: number;
  readonly validationCount: number;
  /** The next training batch, drawn with the run's generator; the caller disposes it (disposeBatch). */
  nextBatch(random: () => number): Batch;
  /** Up to `count` validation batches, the same ones every time. */
  validationBatches(count: number): Batch[];
  disposeBatch(batch: Batch): void;
  /** The batch order's state beyond the run's generator (images: the epoch's shuffle). */
  samplerState(): SamplerState | null;
  restoreSampler(state: SamplerState | null): void;
  dispose(): void;
}

function fail(message: string, details?: Record<string, unknown>): StudioFailure {
  return new StudioFailure('ml', message, details);
}

/** Purposes of derivedSeed, so each use of the run's seed draws its own numbers (1 was the split). */
export const SEED_PURPOSE = { validation: 2, sampleNoise: 3, textSamples: 4 } as const;

// ---- images ----

/** The images a job trains on: the wire's ImageJobData. */
export type ImageDataSpec = ImageJobData;

function validatePart(
  model: { imageSize: number; channels: number; classCount: number },
  part: ImageJobPart,
  name: 'train' | 'validation',
): void {
  const { count, height, width, channels, pixels } = part;
  if (!Number.isInteger(count) || count < (name === 'train' ? 1 : 0)) {
    throw fail('The dataset has no images to train on.');
  }
  if (count === 0) return;
  if (height !== model.imageSize || width !== model.imageSize) {
    throw fail(
      `The images are ${width}×${height} but the model expects ${model.imageSize}×${model.imageSize}.`,
    );
  }
  if (channels !== model.channels) {
    throw fail(`The images have ${channels} channels but the model expects ${model.channels}.`);
  }
  if (!(pixels instanceof Float32Array) || pixels.length !== count * height * width * channels) {
    throw fail('The image data does not hold count × height × width × channels float pixels.', {
      part: name,
      expected: count * height * width * channels,
      received: pixels instanceof Float32Array ? pixels.length : typeof pixels,
    });
  }
  for (let i = 0; i < pixels.length; i++) {
    const value = pixels[i] ?? NaN;
    // Written as a negation so that NaN fails too.
    if (!(value >= 0 && value <= 1)) {
      throw fail('The image data has pixels outside [0, 1] (or NaN); it must be normalised.', {
        part: name,
        index: i,
        value: String(value),
      });
    }
  }
  if (model.classCount > 0) {
    const { labels } = part;
    if (!(labels instanceof Int32Array) || labels.length !== count) {
      throw fail('A class-conditional model needs one class id per image.');
    }
    for (const label of labels) {
      if (!(label >= 0 && label < model.classCount)) {
        throw fail(`Class ids must be from 0 to ${model.classCount - 1}, not ${label}.`);
      }
    }
  }
}

/** Checks that both parts fit the model before any tensor is made. */
export function validateImageData(
  model: { imageSize: number; channels: number; classCount: number },
  spec: ImageDataSpec,
): void {
  validatePart(model, spec.train, 'train');
  validatePart(model, spec.validation, 'validation');
  const balanceBy = spec.batchBalance?.balanceByClass;
  if (
    balanceBy !== undefined &&
    (!(balanceBy instanceof Int32Array) || balanceBy.length !== spec.train.count)
  ) {
    throw fail('Class-balanced batches need one class id per training image.');
  }
}

interface Part {
  images: tf.Tensor4D; // [n, H, W, C]
  labels: tf.Tensor1D | null; // [n]
}

function partTensors(part: ImageJobPart, withLabels: boolean): Part {
  const { count, height, width, channels, pixels } = part;
  return {
    images: tf.tensor4d(pixels, [count, height, width, channels]),
    labels: withLabels && part.labels !== undefined ? tf.tensor1d(part.labels, 'int32') : null,
  };
}

/**
 * `range` is the model's (TRAINING_PIXEL_RANGE of its family): batches are cut and augmented in
 * the wire's [0, 1], then mapped to it, so the fill colour and the preview stay in one scale.
 */
export function imageBatchSource(
  spec: ImageDataSpec,
  batchSize: number,
  range: PixelRange,
): BatchSource<ImageBatch> {
  const withLabels = spec.train.labels !== undefined;
  const train = partTensors(spec.train, withLabels);
  const validation = partTensors(spec.validation, withLabels);
  const balanceBy = spec.batchBalance?.balanceByClass;
  // Stateless (every draw from the run's generator), so it has nothing to checkpoint.
  const balanced = balanceBy === undefined ? null : new BalancedBatches(balanceBy, batchSize);
  const sampler = new BatchSampler(spec.train.count, batchSize);

  const batchOf = (from: Part, indices: Int32Array): ImageBatch => {
    const at = tf.tensor1d(indices, 'int32');
    try {
      const images = tf.gather(from.images, at); // [B, H, W, C]
      return from.labels === null ? { images } : { images, labels: tf.gather(from.labels, at) };
    } finally {
      at.dispose();
    }
  };
  const inRange = (batch: ImageBatch): ImageBatch => {
    if (range === 'zero-one') return batch;
    const images = tf.tidy(() => batch.images.mul(2).sub(1) as tf.Tensor4D); // [B, H, W, C] in [−1, 1]
    batch.images.dispose();
    return { ...batch, images };
  };
  const { augmentation } = spec;
  const shape = {
    height: spec.train.height,
    width: spec.train.width,
    channels: spec.train.channels,
  };
  const perImage = shape.height * shape.width * shape.channels;
  /** Each image flipped and shifted by its own draw (common/augment.ts, as the preview shows). */
  const augmentedBatch = (
    indices: Int32Array,
    random: () => number,
    settings: ImageAugmentation,
  ): ImageBatch => {
    const pixels = new Float32Array(indices.length * perImage);
    indices.forEach((i, n) =>
      pixels.set(spec.train.pixels.subarray(i * perImage, (i + 1) * perImage), n * perImage),
    );
    const drawn = augmentImages(pixels, indices.length, shape, settings, settings.fill, random);
    const images = tf.tensor4d(drawn, [indices.length, shape.height, shape.width, shape.channels]);
    if (train.labels === null) return { images };
    const at = tf.tensor1d(indices, 'int32');
    try {
      return { images, labels: tf.gather(train.labels, at) };
    } finally {
      at.dispose();
    }
  };
  const trainBatch = (random: () => number): ImageBatch => {
    const indices = (balanced ?? sampler).next(random);
    return inRange(
      augmentation ? augmentedBatch(indices, random, augmentation) : batchOf(train, indices),
    );
  };

  const validationCount = spec.validation.count;
  return {
    trainCount: spec.train.count,
    validationCount,
    nextBatch: trainBatch,
    validationBatches(wanted) {
      const batches: ImageBatch[] = [];
      for (let start = 0; start < validationCount && batches.length < wanted; start += batchSize) {
        const size = Math.min(batchSize, validationCount - start);
        const indices = Int32Array.from({ length: size }, (_, i) => start + i);
        batches.push(inRange(batchOf(validation, indices)));
      }
      return batches;
    },
    disposeBatch: (batch) => {
      batch.images.dispose();
      batch.labels?.dispose();
    },
    samplerState: () => (balanced ? null : sampler.state()),
    restoreSampler: (state) => {
      if (state !== null && !balanced) sampler.restore(state);
    },
    dispose: () => {
      for (const part of [train, validation]) {
        part.images.dispose();
        part.labels?.dispose();
      }
    },
  };
}

// ---- text ----

/** The tokens a job trains on: the version's train documents, then its validation ones. */
export interface TextDataSpec {
  train: Int32Array;
  validation: Int32Array;
  vocabSize: number;
}

export function textDataSpec(data: TextJobData, vocabSize: number): TextDataSpec {
  return { train: data.train, validation: data.validation, vocabSize };
}

export function validateTextData(contextLength: number, spec: TextDataSpec): void {
  if (!(spec.train instanceof Int32Array) || !(spec.validation instanceof Int32Array)) {
    throw fail('A text job needs its train and validation parts as token ids.');
  }
  if (spec.train.length < contextLength + 1) {
    throw fail(
      `The text has ${spec.train.length} characters to train on; the model needs at least ${contextLength + 1} (its context plus one).`,
    );
  }
  for (const part of [spec.train, spec.validation]) {
    for (const token of part) {
      if (!(token >= 0 && token < spec.vocabSize)) {
        throw fail(`Token ids must be from 0 to ${spec.vocabSize - 1}, not ${token}.`);
      }
    }
  }
}

/** Windows of contextLength + 1 tokens at random offsets: nanoGPT's get_batch. */
export function textBatchSource(
  spec: TextDataSpec,
  batchSize: number,
  contextLength: number,
  seed: number,
): BatchSource<TextBatch> {
  const window = contextLength + 1;
  const { train, validation } = spec;
  const usableValidation = validation.length >= window;

  const windows = (from: Int32Array, draw: () => number): TextBatch => {
    const values = new Int32Array(batchSize * window);
    for (let b = 0; b < batchSize; b++) {
      const offset = Math.floor(draw() * (from.length - window + 1));
      values.set(from.subarray(offset, offset + window), b * window);
    }
    return tf.tensor2d(values, [batchSize, window], 'int32'); // [B, T+1]
  };

  return {
    trainCount: train.length,
    validationCount: usableValidation ? validation.length : 0,
    nextBatch: (random) => windows(train, random),
    validationBatches(wanted) {
      if (!usableValidation) return [];
      const fixed = new SeededRandom(derivedSeed(seed, SEED_PURPOSE.validation));
      return Array.from({ length: wanted }, () => windows(validation, () => fixed.next()));
    },
    disposeBatch: (batch) => batch.dispose(),
    samplerState: () => null,
    restoreSampler: () => undefined,
    dispose: () => undefined,
  };
}
