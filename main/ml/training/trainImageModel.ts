// The training loop for image models: batches from a seeded sampler, throttled progress, sample
// grids from fixed noise, cooperative stop, and a clear failure when the loss diverges.

import * as tf from '@tensorflow/tfjs';
import { StudioFailure } from '../../core/failure';
import { mlError } from '../errors';
import type { ImageModel, StepMetrics } from '../models/denseVae';
import type {
  DenseVaeConfig,
  GeneratedImage,
  ImageTensorData,
  TrainEvent,
  TrainOutcome,
} from '../protocol';
import { BatchSampler, nextSeed, seededRandom } from './batches';

/** Progress events at most this often (plus the first and the final step). */
export const PROGRESS_INTERVAL_MS = 100;

/** Below this window the rate is too noisy to show; the run's average is used instead. */
const MIN_RATE_WINDOW_MS = 50;

export const MAX_SAMPLE_COUNT = 256;

export interface SamplingPlan {
  /** Emit a sample grid every N steps (and always at the end). */
  sampleEvery: number;
  sampleCount: number;
}

export interface TrainHooks {
  onEvent(event: TrainEvent): void;
  /** Checked between steps; true ends the run as 'stopped'. */
  shouldStop(): boolean;
  /** Milliseconds; injectable so that throttling can be tested without timing. */
  now?: () => number;
}

function fail(message: string, details?: Record<string, unknown>): StudioFailure {
  return new StudioFailure('ml', message, details);
}

/** Checks that the images match the config before any tensor is made. */
export function validateImageData(config: DenseVaeConfig, data: ImageTensorData): void {
  const { count, height, width, channels, pixels } = data;
  if (!Number.isInteger(count) || count < 1) {
    throw fail('The dataset has no images to train on.');
  }
  if (height !== config.imageSize || width !== config.imageSize) {
    throw fail(
      `The images are ${width}×${height} but the model expects ${config.imageSize}×${config.imageSize}.`,
    );
  }
  if (channels !== config.channels) {
    throw fail(`The images have ${channels} channels but the model expects ${config.channels}.`);
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
}

function validateSampling(plan: SamplingPlan): void {
  if (!Number.isInteger(plan.sampleEvery) || plan.sampleEvery < 1) {
    throw fail('sampleEvery must be a whole number of steps, at least 1.');
  }
  if (
    !Number.isInteger(plan.sampleCount) ||
    plan.sampleCount < 0 ||
    plan.sampleCount > MAX_SAMPLE_COUNT
  ) {
    throw fail(`sampleCount must be a whole number from 0 to ${MAX_SAMPLE_COUNT}.`);
  }
}

/** Decodes the fixed noise to 8-bit images, each with its own buffer so it can be transferred. */
function renderSamples(
  model: ImageModel,
  noise: tf.Tensor2D,
  data: ImageTensorData,
): GeneratedImage[] {
  const decoded = model.sample(noise); // [N, D] in [0, 1]
  let values: Float32Array;
  try {
    values = decoded.dataSync() as Float32Array;
  } finally {
    decoded.dispose();
  }
  const size = model.inputSize;
  const images: GeneratedImage[] = [];
  for (let n = 0; n < noise.shape[0]; n++) {
    const pixels = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const value = values[n * size + i] ?? 0;
      pixels[i] = Math.min(255, Math.max(0, Math.round(value * 255)));
    }
    images.push({ width: data.width, height: data.height, channels: data.channels, pixels });
  }
  return images;
}

function allFinite(metrics: StepMetrics): boolean {
  return (
    Number.isFinite(metrics.loss) &&
    Number.isFinite(metrics.reconstruction) &&
    Number.isFinite(metrics.kl)
  );
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Trains `model` on `data` for `config.steps` steps. Never throws for a diverged run: that is a
 * 'failed' outcome. It does throw (a StudioFailure) for data that does not fit the config, before
 * any work is done. The caller owns the model and disposes it.
 */
export async function trainImageModel(
  config: DenseVaeConfig,
  data: ImageTensorData,
  model: ImageModel,
  sampling: SamplingPlan,
  hooks: TrainHooks,
): Promise<TrainOutcome> {
  validateImageData(config, data);
  validateSampling(sampling);
  const now = hooks.now ?? (() => performance.now());
  const totalSteps = config.steps;
  const random = seededRandom(config.seed);
  const sampler = new BatchSampler(data.count, config.batchSize, random);

  const images = tf.tensor2d(data.pixels, [data.count, model.inputSize]); // [N, D]
  // Fixed noise, so that successive sample grids show the same latents as training goes on.
  const noise = tf.randomNormal(
    [sampling.sampleCount, model.latentDim],
    0,
    1,
    'float32',
    nextSeed(random),
  ) as tf.Tensor2D; // [S, L]

  let step = 0;
  let lastSampledStep = -1;
  const emitSamples = (): void => {
    // Step 0 would only show the untrained decoder.
    if (sampling.sampleCount === 0 || step === 0 || lastSampledStep === step) return;
    lastSampledStep = step;
    hooks.onEvent({ type: 'samples', step, images: renderSamples(model, noise, data) });
  };

  const startedAt = now();
  let windowStart = startedAt;
  let lastProgressAt = -Infinity;
  let windowSteps = 0;
  const windowSums: StepMetrics = { loss: 0, reconstruction: 0, kl: 0 };
  const emitProgress = (at: number): void => {
    const windowMs = at - windowStart;
    const totalMs = at - startedAt;
    const stepsPerSecond =
      windowMs >= MIN_RATE_WINDOW_MS
        ? (windowSteps * 1000) / windowMs
        : totalMs > 0
          ? (step * 1000) / totalMs
          : 0;
    // Means over the steps since the last event: a throttled stream should not drop information.
    const metrics = {
      loss: windowSums.loss / windowSteps,
      reconstruction: windowSums.reconstruction / windowSteps,
      kl: windowSums.kl / windowSteps,
    };
    hooks.onEvent({ type: 'progress', step, totalSteps, stepsPerSecond, metrics });
    lastProgressAt = at;
    windowStart = at;
    windowSteps = 0;
    windowSums.loss = windowSums.reconstruction = windowSums.kl = 0;
  };

  try {
    while (step < totalSteps) {
      if (hooks.shouldStop()) {
        // Where it stopped is worth a last report, throttle or not.
        if (windowSteps > 0) emitProgress(now());
        emitSamples();
        return { status: 'stopped', step };
      }
      const indices = tf.tensor1d(sampler.next(), 'int32'); // [B]
      const batch = tf.gather(images, indices) as tf.Tensor2D; // [B, D]
      let metrics: StepMetrics;
      try {
        metrics = model.trainStep(batch, nextSeed(random));
      } finally {
        indices.dispose();
        batch.dispose();
      }
      step++;
      if (!allFinite(metrics)) {
        return {
          status: 'failed',
          step,
          error: mlError(
            `Training diverged at step ${step}: the loss became ${String(metrics.loss)}. ` +
              'Try a lower learning rate.',
            {
              step,
              loss: String(metrics.loss),
              reconstruction: String(metrics.reconstruction),
              kl: String(metrics.kl),
            },
          ),
        };
      }
      windowSteps++;
      windowSums.loss += metrics.loss;
      windowSums.reconstruction += metrics.reconstruction;
      windowSums.kl += metrics.kl;
      const at = now();
      if (step === totalSteps || at - lastProgressAt >= PROGRESS_INTERVAL_MS) emitProgress(at);
      if (step % sampling.sampleEvery === 0) emitSamples();
      // Lets the worker receive a 'stop' message between steps.
      await yieldToEventLoop();
    }
    emitSamples();
    return { status: 'completed', step };
  } finally {
    images.dispose();
    noise.dispose();
  }
}
