import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { StudioFailure } from '../../core/failure';
import { resolveBackend } from '../backend';
import { buildDenseVae } from '../models/denseVae';
import type { DenseVaeConfig, ImageTensorData, TrainEvent, TrainOutcome } from '../protocol';
import { barImages } from '../testing/syntheticImages';
import { trainImageModel, type SamplingPlan, type TrainHooks } from './trainImageModel';

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

type ProgressEvent = Extract<TrainEvent, { type: 'progress' }>;
type SamplesEvent = Extract<TrainEvent, { type: 'samples' }>;

interface RunResult {
  outcome: TrainOutcome;
  progress: ProgressEvent[];
  samples: SamplesEvent[];
}

async function run(
  options: {
    config?: DenseVaeConfig;
    data?: ImageTensorData;
    sampling?: SamplingPlan;
    hooks?: Partial<TrainHooks>;
  } = {},
): Promise<RunResult> {
  const runConfig = options.config ?? config;
  const model = buildDenseVae(runConfig);
  const progress: ProgressEvent[] = [];
  const samples: SamplesEvent[] = [];
  try {
    const outcome = await trainImageModel(
      runConfig,
      options.data ?? barImages(6, 8),
      model,
      options.sampling ?? { sampleEvery: 40, sampleCount: 3 },
      {
        shouldStop: () => false,
        ...options.hooks,
        onEvent: (event) =>
          event.type === 'progress' ? progress.push(event) : samples.push(event),
      },
    );
    return { outcome, progress, samples };
  } finally {
    model.dispose();
  }
}

/** A clock that moves `stepMs` on every reading, so throttling is tested without real time. */
function steppingClock(stepMs: number): () => number {
  let now = 0;
  return () => (now += stepMs);
}

describe('trainImageModel', () => {
  beforeAll(async () => {
    expect((await resolveBackend({ preferBackend: 'wasm' })).active).toBe('wasm');
  });

  it('completes, reports progress to the final step and samples every N steps and at the end', async () => {
    const { outcome, progress, samples } = await run();

    expect(outcome).toEqual({ status: 'completed', step: 100 });
    const last = progress.at(-1);
    expect(last).toMatchObject({ step: 100, totalSteps: 100 });
    expect(Object.keys(last?.metrics ?? {}).sort()).toEqual(['kl', 'loss', 'reconstruction']);
    expect(last?.metrics.loss).toBeLessThan(progress[0]?.metrics.loss ?? 0);
    expect(samples.map((s) => s.step)).toEqual([40, 80, 100]);
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
    const steps = stepping.progress.map((p) => p.step);
    expect(steps).toEqual([1, 11, 21, 31, 41, 51, 61, 71, 81, 91, 100]);
    expect(stepping.progress[1]?.stepsPerSecond).toBeCloseTo(100, 6);
  });

  it('is repeatable from the config seed: same events, same samples', async () => {
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
    expect(outcome).toEqual({ status: 'stopped', step: 5 });
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

  it('keeps the tensor count flat over a whole run, whatever its end', async () => {
    const before = tf.memory().numTensors;
    await run();
    await run({ config: { ...config, learningRate: 1e6 } });
    let checks = 0;
    await run({ hooks: { shouldStop: () => ++checks > 3 } });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses images that do not fit the config before doing any work', async () => {
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
