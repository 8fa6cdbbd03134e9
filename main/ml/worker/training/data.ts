// Where the training loop's batches come from: a seeded train/validation split of the job's data,
// train batches in a seeded (and resumable) order, and fixed validation batches.

import * as tf from '@tensorflow/tfjs';
import { StudioFailure } from '../../../common/failure';
import type { ImageBatch, TextBatch } from '../models/model';
import type { ImageAugmentation, BatchBalance, ImageTensorData } from '../../protocol';
import { BatchSampler, type SamplerState } from './batches';
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

/** Purposes of derivedSeed, so each use of the run's seed draws its own numbers. */
export const SEED_PURPOSE = { split: 1, validation: 2, sampleNoise: 3, textSamples: 4 } as const;

export function checkValidationFraction(fraction: number): void {
  if (!(fraction >= 0 && fraction <= 0.5)) {
    throw fail(`The validation fraction must be from 0 to 0.5, not ${String(fraction)}.`);
  }
}

// ---- images ----

export interface ImageDataSpec {
  images: ImageTensorData;
  labels?: Int32Array;
  validationFraction: number;
  /**
   * When set, the last N images are the validation set, as the dataset version split them
   * (stratified by class); `validationFraction` is then ignored.
   */
  validationCount?: number;
  augmentation?: ImageAugmentation;
  batchBalance?: BatchBalance;
}

/**
 * Flips and shifts one batch [B, H, W, C] with draws from the run's seeded generator, so a
 * resumed run augments exactly as an uninterrupted one. The batch is disposed; the caller owns
 * the result.
 */
export function augmentBatch(
  images: tf.Tensor4D,
  augmentation: ImageAugmentation,
  random: () => number,
): tf.Tensor4D {
  const [b, h, w, c] = images.shape;
  const flips = Array.from({ length: b }, () => augmentation.flipHorizontal && random() < 0.5);
  const shift = augmentation.maxShift;
  const dx = shift > 0 ? Math.floor(random() * (2 * shift + 1)) - shift : 0;
  const dy = shift > 0 ? Math.floor(random() * (2 * shift + 1)) - shift : 0;
  if (!flips.some(Boolean) && dx === 0 && dy === 0) return images;
  const out = tf.tidy(() => {
    let x: tf.Tensor4D = images;
    if (flips.some(Boolean)) {
      const mask = tf
        .tensor1d(
          flips.map((f) => (f ? 1 : 0)),
          'bool',
        )
        .reshape([b, 1, 1, 1]);
      x = tf.where(mask.broadcastTo([b, h, w, c]), tf.reverse(x, 2), x) as tf.Tensor4D;
    }
    if (dx !== 0 || dy !== 0) {
      const s = shift;
      // Pad by `shift` on every side with the fill colour, then cut the window moved by (dx, dy).
      const fill = tf.tensor1d(augmentation.fill.slice(0, c)).reshape([1, 1, 1, c]);
      const padded = tf
        .pad(x.sub(fill), [
          [0, 0],
          [s, s],
          [s, s],
          [0, 0],
        ])
        .add(fill) as tf.Tensor4D; // [B, H + 2s, W + 2s, C]
      x = tf.slice(padded, [0, s - dy, s - dx, 0], [b, h, w, c]);
    }
    return x;
  });
  images.dispose();
  return out;
}

/** Checks that the images fit the model before any tensor is made. */
export function validateImageData(
  model: { imageSize: number; channels: number; classCount: number },
  spec: ImageDataSpec,
): void {
  const { count, height, width, channels, pixels } = spec.images;
  if (!Number.isInteger(count) || count < 1) throw fail('The dataset has no images to train on.');
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
      expected: count * height * width * channels,
      received: pixels instanceof Float32Array ? pixels.length : typeof pixels,
    });
  }
  for (let i = 0; i < pixels.length; i++) {
    const value = pixels[i] ?? NaN;
    // Written as a negation so that NaN fails too.
    if (!(value >= 0 && value <= 1)) {
      throw fail('The image data has pixels outside [0, 1] (or NaN); it must be normalised.', {
        index: i,
        value: String(value),
      });
    }
  }
  if (model.classCount > 0) {
    const { labels } = spec;
    if (!(labels instanceof Int32Array) || labels.length !== count) {
      throw fail('A class-conditional model needs one class id per image.');
    }
    for (const label of labels) {
      if (!(label >= 0 && label < model.classCount)) {
        throw fail(`Class ids must be from 0 to ${model.classCount - 1}, not ${label}.`);
      }
    }
  }
  const balanceBy = spec.batchBalance?.balanceByClass;
  if (
    balanceBy !== undefined &&
    (!(balanceBy instanceof Int32Array) || balanceBy.length !== count)
  ) {
    throw fail('Class-balanced batches need one class id per image.');
  }
  checkValidationFraction(spec.validationFraction);
}

/** A seeded permutation of 0..count−1. */
function permutation(count: number, seed: number): Int32Array {
  const random = new SeededRandom(seed);
  const order = Int32Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = swap;
  }
  return order;
}

export function imageBatchSource(
  spec: ImageDataSpec,
  batchSize: number,
  seed: number,
): BatchSource<ImageBatch> {
  const { count, height, width, channels, pixels } = spec.images;
  let heldOut: Int32Array;
  let kept: Int32Array;
  if (spec.validationCount !== undefined) {
    const validationCount = Math.max(0, Math.min(spec.validationCount, count - 1));
    const all = Int32Array.from({ length: count }, (_, i) => i);
    kept = all.slice(0, count - validationCount);
    heldOut = all.slice(count - validationCount);
  } else {
    const validationCount = Math.min(Math.floor(count * spec.validationFraction), count - 1);
    const order = permutation(count, derivedSeed(seed, SEED_PURPOSE.split));
    heldOut = order.slice(0, validationCount).sort();
    kept = order.slice(validationCount).sort();
  }
  const all = tf.tensor4d(pixels, [count, height, width, channels]); // [N, H, W, C]
  const allLabels = spec.labels === undefined ? null : tf.tensor1d(spec.labels, 'int32'); // [N]
  interface Split {
    images: tf.Tensor4D; // [n, H, W, C]
    labels: tf.Tensor1D | null; // [n]
  }
  const gatherFrom = (from: Split, indices: Int32Array): Split => {
    const at = tf.tensor1d(indices, 'int32');
    try {
      return {
        images: tf.gather(from.images, at),
        labels: from.labels === null ? null : tf.gather(from.labels, at),
      };
    } finally {
      at.dispose();
    }
  };
  const whole: Split = { images: all, labels: allLabels };
  const pick = (indices: Int32Array): Split => gatherFrom(whole, indices);
  const train = pick(kept);
  const validation = pick(heldOut);
  all.dispose();
  allLabels?.dispose();
  const balanceBy = spec.batchBalance?.balanceByClass;
  // Stateless (every draw from the run's generator), so it has nothing to checkpoint.
  const balanced =
    balanceBy === undefined
      ? null
      : new BalancedBatches(
          Int32Array.from(kept, (i) => balanceBy[i] ?? 0),
          batchSize,
        );
  const sampler = new BatchSampler(kept.length, batchSize);

  const batchOf = (from: Split, indices: Int32Array): ImageBatch => {
    const { images, labels } = gatherFrom(from, indices); // [B, H, W, C], [B]
    return labels === null ? { images } : { images, labels };
  };
  const trainBatch = (random: () => number): ImageBatch => {
    const batch = batchOf(train, (balanced ?? sampler).next(random));
    if (!spec.augmentation) return batch;
    return { ...batch, images: augmentBatch(batch.images, spec.augmentation, random) };
  };

  const validationCount = heldOut.length;
  return {
    trainCount: kept.length,
    validationCount,
    nextBatch: trainBatch,
    validationBatches(wanted) {
      const batches: ImageBatch[] = [];
      for (let start = 0; start < validationCount && batches.length < wanted; start += batchSize) {
        const size = Math.min(batchSize, validationCount - start);
        batches.push(
          batchOf(
            validation,
            Int32Array.from({ length: size }, (_, i) => start + i),
          ),
        );
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

export interface TextDataSpec {
  tokens: Int32Array;
  vocabSize: number;
  validationFraction: number;
}

export function validateTextData(contextLength: number, spec: TextDataSpec): void {
  checkValidationFraction(spec.validationFraction);
  const trainLength = spec.tokens.length - Math.floor(spec.tokens.length * spec.validationFraction);
  if (trainLength < contextLength + 1) {
    throw fail(
      `The text has ${trainLength} characters to train on; the model needs at least ${contextLength + 1} (its context plus one).`,
    );
  }
  for (const token of spec.tokens) {
    if (!(token >= 0 && token < spec.vocabSize)) {
      throw fail(`Token ids must be from 0 to ${spec.vocabSize - 1}, not ${token}.`);
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
  // The tail is held out, as nanoGPT's 90/10 split: contiguous text, so no window straddles both.
  const validationLength = Math.floor(spec.tokens.length * spec.validationFraction);
  const train = spec.tokens.subarray(0, spec.tokens.length - validationLength);
  const validation = spec.tokens.subarray(train.length);
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
