// Before training: how big a model is, how much memory it will roughly take, and how long one
// step takes on the backend in use — measured, on random data of the right shape.

import * as tf from '@tensorflow/tfjs';
import type { GenerativeModel, ImageBatch, TextBatch, TrainableModel } from '../models/model';
import type { ModelEstimate } from '../../protocol';

const BYTES_PER_FLOAT = 4;

/** A batch of seeded random data shaped for `model`: images in [0, 1] (with classes), or tokens. */
export function randomBatch(model: GenerativeModel, seed = 1): ImageBatch | TextBatch {
  return tf.tidy(() => {
    if (model.kind === 'text') {
      return tf.randomUniform(
        [model.batchSize, model.contextLength + 1],
        0,
        model.vocabSize,
        'int32',
        seed,
      ) as tf.Tensor2D;
    }
    const { batchSize, imageSize, channels, classCount } = model;
    const images = tf.randomUniform(
      [batchSize, imageSize, imageSize, channels],
      0,
      1,
      'float32',
      seed,
    ) as tf.Tensor4D;
    if (classCount === 0) return { images };
    return {
      images,
      labels: tf.randomUniform([batchSize], 0, classCount, 'int32', seed + 1) as tf.Tensor1D,
    };
  });
}

export function disposeBatch(batch: ImageBatch | TextBatch): void {
  if (batch instanceof tf.Tensor) batch.dispose();
  else {
    batch.images.dispose();
    batch.labels?.dispose();
  }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

export interface StepTiming {
  medianMs: number;
  stepsMs: number[];
}

/**
 * Runs `warmup` untimed steps then `steps` timed ones on the same batch and reports the median.
 * Each step ends with its metrics read back (plain numbers), so the time includes the whole step.
 */
export function measureStepTime<Batch>(
  model: TrainableModel<Batch>,
  batch: Batch,
  options: { warmup?: number; steps?: number; now?: () => number } = {},
): StepTiming {
  const now = options.now ?? (() => performance.now());
  const warmup = options.warmup ?? 2;
  const steps = Math.max(1, options.steps ?? 5);
  for (let i = 0; i < warmup; i++) model.trainStep(batch, { seed: i + 1 });
  const stepsMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const start = now();
    model.trainStep(batch, { seed: warmup + i + 1 });
    stepsMs.push(now() - start);
  }
  return { medianMs: median(stepsMs), stepsMs };
}

/** Parameters and a memory estimate from the model's shapes (no step is run). */
export function memoryEstimate(
  model: GenerativeModel,
): Pick<ModelEstimate, 'parameters' | 'batchSize' | 'memory'> {
  const size = model.size();
  const weightsBytes = size.parameters * BYTES_PER_FLOAT;
  const optimizerBytes = size.optimizerState * BYTES_PER_FLOAT;
  const activationsBytes = 2 * size.activationsPerExample * model.batchSize * BYTES_PER_FLOAT;
  return {
    parameters: size.parameters,
    batchSize: model.batchSize,
    memory: {
      weightsBytes,
      optimizerBytes,
      activationsBytes,
      totalBytes: weightsBytes + optimizerBytes + activationsBytes,
    },
  };
}

/** The full estimate: shapes, memory and measured ms per step (the model's weights change). */
export function estimateModel(
  model: GenerativeModel,
  options: { warmup?: number; steps?: number } = {},
): ModelEstimate {
  const batch = randomBatch(model);
  try {
    const timing =
      model.kind === 'text'
        ? measureStepTime(model, batch as TextBatch, options)
        : measureStepTime(model, batch as ImageBatch, options);
    return {
      family: model.family,
      backend: tf.getBackend(),
      ...memoryEstimate(model),
      msPerStep: timing.medianMs,
      measuredSteps: timing.stepsMs,
    };
  } finally {
    disposeBatch(batch);
  }
}
