import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioFailure } from '../../../common/failure';
import { buildDenseVae } from '../models/denseVae';
import type { DenseVaeConfig, ImageTensorData, JobEvent, TrainOutcome } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { barImages, imageParts } from '../testing/syntheticImages';
import { imageBatchSource, validateImageData } from './data';
import { imagePreview } from './generation';
import { train, type TrainHooks } from './train';
import {
  learningRateScale,
  resolveTrainingConfig,
  type TrainingConfig,
} from '../../config/trainingConfig';

const config: DenseVaeConfig = {
  imageSize: 8,
  channels: 1,
  latentDim: 2,
  hiddenUnits: 16,
  batchSize: 4,
  steps: 100,
  learningRate: 1e-2,
  beta: 1,
  seed: 5,
};

type Progress = Extract<JobEvent, { type: 'progress' }>;
type Samples = Extract<JobEvent, { type: 'samples' }>;

interface RunResult {
  outcome: TrainOutcome;
  events: JobEvent[];
  progress: Progress[];
  samples: Samples[];
}

async function run(
  options: {
    config?: DenseVaeConfig;
    training?: Partial<TrainingConfig>;
    data?: ImageTensorData;
    /** The last N images validate. */
    validationCount?: number;
    hooks?: Partial<TrainHooks>;
  } = {},
): Promise<RunResult> {
  const modelConfig = options.config ?? config;
  const training = resolveTrainingConfig({
    steps: modelConfig.steps,
    seed: modelConfig.seed,
    sampleEvery: 40,
    sampleCount: 3,
    ...options.training,
  });
  const model = buildDenseVae(modelConfig);
  const spec = imageParts(options.data ?? barImages(12, 8), options.validationCount ?? 0);
  const events: JobEvent[] = [];
  try {
    validateImageData(model, spec);
    const source = imageBatchSource(spec, model.batchSize, model.pixelRange);
    const preview = imagePreview(model, training.sampleCount, training.seed);
    try {
      const outcome = await train(training, source, model, {
        onEvent: (event) => events.push(event),
        shouldStop: () => false,
        preview,
        ...options.hooks,
      });
      return {
        outcome,
        events,
        progress: events.filter((e): e is Progress => e.type === 'progress'),
        samples: events.filter((e): e is Samples => e.type === 'samples'),
      };
    } finally {
      preview.dispose();
      source.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** A clock that advances `stepMs` each time it is read. */
function steppingClock(stepMs: number): () => number {
  let t = 0;
  return () => (t += stepMs);
}

describe('train (the family-agnostic loop), on the dense VAE', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('completes, reports progress to the final step and samples every N steps and at the end', async () => {
    const { outcome, progress, samples } = await run();
    expect(outcome).toMatchObject({ status: 'completed', step: 100 });
    const last = progress.at(-1);
    expect(last).toMatchObject({ step: 100, totalSteps: 100, learningRate: 1e-2 });
    expect(Object.keys(last?.metrics ?? {}).sort()).toEqual(['kl', 'loss', 'reconstruction']);
    expect(last?.metrics.loss).toBeLessThan(progress[0]?.metrics.loss ?? 0);
    expect(samples.map((s) => s.step)).toEqual([40, 80, 100]);
    // Where the time went: the steps took time, and every phase is a duration.
    expect(outcome.phases?.steps).toBeGreaterThan(0);
    expect(outcome.phases?.samples).toBeGreaterThan(0);
    for (const ms of Object.values(outcome.phases ?? {})) expect(ms).toBeGreaterThanOrEqual(0);
    for (const { images } of samples) {
      expect(images).toHaveLength(3);
      for (const image of images) {
        expect(image).toMatchObject({ width: 8, height: 8, channels: 1 });
        expect(image.pixels).toBeInstanceOf(Uint8Array);
        expect(image.pixels).toHaveLength(64);
      }
    }
  });

  it('throttles progress to one event per 100 ms of clock, plus the first and the final step', async () => {
    const frozen = await run({ hooks: { now: () => 0 } });
    expect(frozen.progress.map((p) => p.step)).toEqual([1, 100]);
    // 10 ms per step: one event every 10 steps.
    const stepping = await run({ hooks: { now: steppingClock(10) } });
    expect(stepping.progress.map((p) => p.step)).toEqual([
      1, 11, 21, 31, 41, 51, 61, 71, 81, 91, 100,
    ]);
    expect(stepping.progress[1]?.stepsPerSecond).toBeCloseTo(100, 6);
  });

  it('is repeatable from the seed: same events, same samples; another seed differs', async () => {
    const first = await run({ hooks: { now: () => 0 } });
    const second = await run({ hooks: { now: () => 0 } });
    expect(second.progress.map((p) => p.metrics)).toEqual(first.progress.map((p) => p.metrics));
    expect(second.samples).toEqual(first.samples);
    const otherSeed = await run({ config: { ...config, seed: 6 }, hooks: { now: () => 0 } });
    expect(otherSeed.progress.at(-1)?.metrics).not.toEqual(first.progress.at(-1)?.metrics);
  });

  it('stops between steps when asked, with samples of where it got to', async () => {
    let checks = 0;
    const { outcome, progress, samples } = await run({
      hooks: { shouldStop: () => ++checks > 5, now: () => 0 },
    });
    expect(outcome).toMatchObject({ status: 'stopped', step: 5 });
    expect(progress.map((p) => p.step)).toEqual([1, 5]);
    expect(samples.map((s) => s.step)).toEqual([5]);
  });

  it('yields to the event loop between steps, so a stop message can arrive mid-run', async () => {
    let stopRequested = false;
    setImmediate(() => {
      stopRequested = true;
    });
    const { outcome } = await run({ hooks: { shouldStop: () => stopRequested } });
    expect(outcome.status).toBe('stopped');
    expect(outcome.step).toBeLessThan(config.steps);
  });

  it('fails with a clear message when the loss diverges to NaN', async () => {
    const { outcome, samples } = await run({ config: { ...config, learningRate: 1e6 } });
    expect(outcome.status).toBe('failed');
    expect(outcome.step).toBeLessThan(config.steps);
    expect(outcome.error?.code).toBe('ml');
    expect(outcome.error?.message).toMatch(
      /diverged at step \d+: the loss became (NaN|-?Infinity)/,
    );
    expect(outcome.error?.message).toMatch(/lower learning rate/);
    expect(samples).toEqual([]);
  });

  it('names the metric that diverged when a model reports no "loss" (as a GAN does)', async () => {
    const model = buildDenseVae(config);
    let calls = 0;
    const gan = {
      ...model,
      trainStep: () => (++calls < 3 ? { dLoss: 1.3, gLoss: 0.7 } : { dLoss: 1.2, gLoss: Infinity }),
    };
    const source = imageBatchSource(imageParts(barImages(4, 8)), 4, 'zero-one');
    try {
      const outcome = await train(resolveTrainingConfig({ steps: 10 }), source, gan, {
        onEvent: () => undefined,
        shouldStop: () => false,
      });
      expect(outcome).toMatchObject({
        status: 'failed',
        step: 3,
        error: { code: 'ml', details: { gLoss: 'Infinity' } },
      });
      expect(outcome.error?.message).toMatch(/diverged at step 3: the gLoss became Infinity/);
    } finally {
      source.dispose();
      model.dispose();
    }
  });

  it('validates every N steps and at the end on held-out images, which it never trains on', async () => {
    const { events } = await run({
      training: { steps: 30, validateEvery: 10, validationBatches: 2 },
      // 20 bars, the last 4 held out: their positions (index / 2 mod 8) repeat ones trained on.
      data: barImages(20, 8),
      validationCount: 4,
    });
    const validations = events.filter((e) => e.type === 'validation');
    expect(validations.map((v) => v.step)).toEqual([10, 20, 30]);
    for (const v of validations)
      expect(Object.keys(v.metrics).sort()).toEqual(['kl', 'loss', 'reconstruction']);
    expect(validations.at(-1)?.metrics.loss).toBeLessThan(validations[0]?.metrics.loss ?? 0);
  });

  it('applies the learning-rate schedule: warm-up, then a cosine to the floor', async () => {
    const schedule = resolveTrainingConfig({
      steps: 110,
      warmupSteps: 10,
      schedule: 'cosine',
      minLearningRateRatio: 0.1,
    });
    expect(learningRateScale(schedule, 0)).toBeCloseTo(0.1, 9);
    expect(learningRateScale(schedule, 9)).toBeCloseTo(1, 9);
    expect(learningRateScale(schedule, 10)).toBeCloseTo(1, 9);
    expect(learningRateScale(schedule, 60)).toBeCloseTo(0.55, 9);
    expect(learningRateScale(schedule, 110)).toBeCloseTo(0.1, 9);
    const { progress } = await run({
      training: { steps: 20, warmupSteps: 10, schedule: 'cosine' },
      hooks: { now: steppingClock(100) },
    });
    expect(progress[0]?.learningRate).toBeCloseTo(1e-3, 9);
    // The last step (index 19) is 9/10 of the way down the cosine; the floor is at step 20.
    const lastScale = 0.1 + 0.9 * 0.5 * (1 + Math.cos(0.9 * Math.PI));
    expect(progress.at(-1)?.learningRate).toBeCloseTo(1e-2 * lastScale, 9);
  });

  it('keeps the tensor count flat over a whole run, whatever its end', async () => {
    const before = tf.memory().numTensors;
    await run({ training: { validateEvery: 20 }, validationCount: 3 });
    await run({ config: { ...config, learningRate: 1e6 } });
    let checks = 0;
    await run({ hooks: { shouldStop: () => ++checks > 3 } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses images that do not fit the model before doing any work', async () => {
    const before = tf.memory().numTensors;
    await expect(run({ data: barImages(4, 8, 3) })).rejects.toThrow(
      /3 channels but the model expects 1/,
    );
    await expect(run({ data: barImages(4, 6) })).rejects.toThrow(/6×6 but the model expects 8×8/);
    const broken = barImages(4, 8);
    broken.pixels[10] = NaN;
    await expect(run({ data: broken })).rejects.toThrow(StudioFailure);
    await expect(run({ data: broken })).rejects.toThrow(/outside \[0, 1\] \(or NaN\)/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
