// What the training loop, the sampler, the checkpoints and the benchmark see of a model, whatever
// its family; and the typed-config helper every family resolves its config with.

import * as tf from '@tensorflow/tfjs';
import type { ModelFamily } from '../../../../preload/contract';
import type { PixelRange } from '../../config/pixelRange';

/** What one step measured, as plain numbers (e.g. loss, reconstruction, kl, gradNorm). */
export type Metrics = Record<string, number>;

export interface StepOptions {
  /** Seed (an integer ≥ 1) for the step's own randomness: latent noise, GAN inputs. */
  seed?: number;
  /** Multiplies the configured learning rate (the schedule's warm-up and decay); default 1. */
  learningRateScale?: number;
}

/** A batch of images [B, H, W, C] in the model's `pixelRange`, with class ids [B] for conditional models. */
export interface ImageBatch {
  images: tf.Tensor4D;
  labels?: tf.Tensor1D;
}

/** A batch of token windows [B, T + 1]: inputs are [:, :T], targets [:, 1:]. */
export type TextBatch = tf.Tensor2D;

/** A tensor a checkpoint saves and restores under a stable name. */
export interface NamedVariable {
  name: string;
  variable: tf.Variable;
}

/** Rough element counts for the memory estimate. */
export interface ModelSize {
  /** Trainable parameters. */
  parameters: number;
  /** Optimiser slot elements (2 per parameter for Adam). */
  optimizerState: number;
  /** Forward activations per example, counted from the layer shapes (the backward pass about doubles it). */
  activationsPerExample: number;
}

export interface TrainableModel<Batch> {
  readonly family: ModelFamily;
  readonly batchSize: number;
  /** The base learning rate, which the schedule scales. */
  readonly learningRate: number;
  /** One optimiser step on one batch; every tensor it makes is freed before it returns. */
  trainStep(batch: Batch, options?: StepOptions): Metrics;
  /** The same losses without an update, for validation. */
  evaluate(batch: Batch): Metrics;
  size(): ModelSize;
  /** Weights, running statistics and optimiser slots, in a fixed order. */
  checkpointTensors(): NamedVariable[];
  /** Plain-number state (optimiser step counts) a checkpoint saves beside the tensors. */
  counters(): Record<string, number>;
  restoreCounters(counters: Record<string, number>): void;
  dispose(): void;
}

export interface ImageGenerator extends TrainableModel<ImageBatch> {
  readonly kind: 'image';
  readonly imageSize: number;
  readonly channels: number;
  readonly latentDim: number;
  /** 0 for an unconditional model. */
  readonly classCount: number;
  /** The range its batches are in: TRAINING_PIXEL_RANGE of its family (config/pixelRange.ts). */
  readonly pixelRange: PixelRange;
  /** Latent noise [N, L] (and class ids [N]) → images [N, H, W, C] in [0, 1]; caller disposes. */
  generate(noise: tf.Tensor2D, labels?: tf.Tensor1D): tf.Tensor4D;
}

/** Feeds one token per sequence and returns the next-token logits. */
export interface TextDecoder {
  /** tokens [N] → logits [N · V], row-major. */
  next(tokens: Int32Array): Float32Array;
  dispose(): void;
}

export interface TextModel extends TrainableModel<TextBatch> {
  readonly kind: 'text';
  readonly vocabSize: number;
  /** Tokens per training window (the sequence length of an RNN, the context of a GPT). */
  readonly contextLength: number;
  /** A decoder for `count` sequences generated side by side. */
  decoder(count: number): TextDecoder;
}

export type GenerativeModel = ImageGenerator | TextModel;

/** Reads a few scalars back from the backend in one go (one sync instead of one per number). */
export function readScalars(scalars: Record<string, tf.Scalar | null | undefined>): Metrics {
  const entries = Object.entries(scalars).filter(
    (entry): entry is [string, tf.Scalar] => entry[1] !== null && entry[1] !== undefined,
  );
  const keys = entries.map(([key]) => key);
  const values = tf.tidy(() => tf.stack(entries.map(([, scalar]) => scalar)).dataSync());
  const out: Metrics = {};
  keys.forEach((key, i) => {
    out[key] = values[i] ?? NaN;
  });
  return out;
}
