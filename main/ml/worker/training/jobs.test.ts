import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioFailure } from '../../../common/failure';
import type { JobEvent, TrainJob, TrainOutcome } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { barImages, imageParts } from '../testing/syntheticImages';
import { repeatedPhrase, textParts } from '../testing/syntheticText';
import { resolveCharRnnConfig, resolveConvVaeConfig } from '../../config/configs';
import { resolveTrainingConfig } from '../../config/trainingConfig';
import { readCheckpointManifest } from './checkpoint';
import { checkBackendCanTrain, runEstimateJob, runSampleJob, runTrainJob } from './jobs';

let root: string;
let nextDir = 0;
const freshDir = (): string => path.join(root, `run-${++nextDir}`);

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ml-jobs-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  outcome: TrainOutcome;
  events: JobEvent[];
  /** Every step's metrics, by step. */
  steps: Map<number, Record<string, number>>;
}

async function runJob(job: TrainJob, stopAfter = Infinity): Promise<Run> {
  const events: JobEvent[] = [];
  const steps = new Map<number, Record<string, number>>();
  let taken = 0;
  const outcome = await runTrainJob(job, {
    onEvent: (event) => events.push(event),
    shouldStop: () => taken >= stopAfter,
    onStep: (step, metrics) => {
      taken++;
      steps.set(step, metrics);
    },
  });
  return { outcome, events, steps };
}

const corpus = repeatedPhrase(30);
const gptJob = (overrides: Partial<TrainJob> = {}, steps = 16): TrainJob =>
  ({
    jobId: 'gpt',
    family: 'char-gpt',
    config: {
      vocabSize: corpus.vocabulary.length,
      contextLength: 12,
      layers: 1,
      heads: 2,
      width: 16,
      batchSize: 4,
      learningRate: 1e-2,
    },
    training: {
      steps,
      seed: 3,
      sampleEvery: 8,
      sampleCount: 2,
      validateEvery: 8,
      warmupSteps: 4,
      schedule: 'cosine',
    },
    data: {
      // The version's split as the runs service sends it: the corpus's last tenth validates.
      ...textParts(corpus.tokens, 0.1),
      vocabulary: corpus.vocabulary,
      decoding: { maxLength: 10, prompt: 'hel' },
    },
    ...overrides,
  }) as TrainJob;

describe('training jobs on text (wasm when it can)', () => {
  beforeAll(async () => {
    await useTestBackend('dense');
  });

  it('emits progress, validation, text samples and checkpoints, and keeps the tensor count flat', async () => {
    const dir = freshDir();
    const before = tf.memory().numTensors;
    const { outcome, events } = await runJob({
      ...gptJob(),
      checkpointDir: dir,
      training: { ...gptJob().training, checkpointEvery: 8 },
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(outcome).toMatchObject({ status: 'completed', step: 16 });
    expect(events.filter((e) => e.type === 'validation').map((e) => e.step)).toEqual([8, 16]);
    const texts = events.filter((e) => e.type === 'text-samples');
    expect(texts.map((e) => e.step)).toEqual([8, 16]);
    for (const e of texts) {
      expect(e.texts).toHaveLength(2);
      for (const text of e.texts) expect(text.startsWith('hel')).toBe(true);
    }
    expect(events.filter((e) => e.type === 'checkpoint').map((e) => e.step)).toEqual([8, 16]);
    const manifest = await readCheckpointManifest(dir);
    expect(manifest).toMatchObject({
      family: 'char-gpt',
      step: 16,
      data: { kind: 'text', vocabulary: corpus.vocabulary },
    });
    // Only the newest weights are kept.
    expect(readdirSync(dir).sort()).toEqual(['checkpoint.json', 'weights-00000016.bin']);
  });

  it('resumes from a checkpoint to the same losses, step for step, as a run never interrupted', async () => {
    const whole = await runJob(gptJob());
    const dir = freshDir();
    const first = await runJob({ ...gptJob(), checkpointDir: dir }, 7);
    expect(first.outcome).toMatchObject({ status: 'stopped', step: 7 });
    expect((await readCheckpointManifest(dir)).step).toBe(7); // written at the stop
    const second = await runJob({ ...gptJob(), resumeFrom: dir, checkpointDir: dir });
    expect(second.outcome).toMatchObject({ status: 'completed', step: 16 });
    expect([...second.steps.keys()]).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16]);
    for (const [step, metrics] of second.steps) expect(metrics).toEqual(whole.steps.get(step));
  });

  it('samples text from a checkpoint: top-k 1 is greedy and repeats, and the model has learned the phrase', async () => {
    const dir = freshDir();
    const trained = await runJob({
      ...gptJob({}, 150),
      checkpointDir: dir,
      training: resolveTrainingConfig({ steps: 150, seed: 3, sampleCount: 0 }),
    });
    expect(trained.outcome.status).toBe('completed');
    const ask = {
      jobId: 's',
      checkpoint: dir,
      kind: 'text' as const,
      prompt: 'hello w',
      maxLength: 12,
      topK: 1,
      count: 2,
    };
    const a = await runSampleJob({ ...ask, seed: 1 });
    const b = await runSampleJob({ ...ask, seed: 99 });
    expect(a).toEqual({
      kind: 'text',
      step: 150,
      texts: ['hello world. hello ', 'hello world. hello '],
    });
    expect(b).toEqual(a);
    const warm = await runSampleJob({
      ...ask,
      topK: 0,
      temperature: 1.5,
      topP: 1,
      count: 4,
      seed: 7,
    });
    expect(
      warm.kind === 'text' && warm.texts.every((t) => t.length === 'hello w'.length + 12),
    ).toBe(true);
    await expect(runSampleJob({ ...ask, prompt: 'Zebra' })).rejects.toThrow(
      /characters the model never saw/,
    );
    await expect(
      runSampleJob({ jobId: 'i', checkpoint: dir, kind: 'images', mode: 'grid', count: 2 }),
    ).rejects.toThrow(/text model/);
  });

  it('refuses a job that cannot start, saying why', async () => {
    await expect(runJob(gptJob({ config: { vocabSize: 3 } } as Partial<TrainJob>))).rejects.toThrow(
      /vocabulary has \d+ characters but the model expects 3/,
    );
    const noSteps = { training: { steps: 0 } } as Partial<TrainJob>;
    await expect(runJob(gptJob(noSteps))).rejects.toThrow(/TrainingConfig.steps/);
    await expect(runJob(gptJob({ resumeFrom: path.join(root, 'nowhere') }))).rejects.toThrow(
      /no checkpoint/,
    );
  });

  it('estimates parameters, memory and a measured time per step', () => {
    const estimate = runEstimateJob({
      jobId: 'e',
      family: 'char-rnn',
      config: resolveCharRnnConfig({
        vocabSize: 20,
        sequenceLength: 8,
        hiddenUnits: 16,
        embeddingDim: 8,
        batchSize: 4,
      }),
      measureSteps: 3,
      warmupSteps: 1,
    });
    expect(estimate.parameters).toBe(20 * 8 + (8 * 64 + 64 + 16 * 64 + 64) + 16 * 20 + 20);
    expect(estimate.memory.weightsBytes).toBe(4 * estimate.parameters);
    expect(estimate.memory.optimizerBytes).toBe(8 * estimate.parameters);
    expect(estimate.memory.totalBytes).toBeGreaterThan(
      estimate.memory.weightsBytes + estimate.memory.optimizerBytes,
    );
    expect(estimate.measuredSteps).toHaveLength(3);
    expect(estimate.msPerStep).toBeGreaterThan(0);
    expect(estimate.backend).toBe(tf.getBackend());
  });
});

describe('training jobs on images (cpu until wasm has conv gradients)', () => {
  beforeAll(async () => {
    await useTestBackend('conv');
  });

  const labels = Int32Array.from({ length: 12 }, (_, i) => i % 2);
  const ganJob = (overrides: Partial<TrainJob> = {}): TrainJob =>
    ({
      jobId: 'gan',
      family: 'dcgan',
      config: {
        imageSize: 8,
        channels: 1,
        latentDim: 4,
        generatorFilters: [4, 2],
        discriminatorFilters: [2, 4],
        classCount: 2,
        batchSize: 4,
      },
      training: { steps: 8, seed: 2, sampleEvery: 4, sampleCount: 4 },
      data: imageParts(barImages(12, 8), 3, labels),
      ...overrides,
    }) as TrainJob;

  it('resumes a class-conditional GAN (two optimisers, batch-norm statistics, epoch order) exactly', async () => {
    const whole = await runJob(ganJob());
    const samples = whole.events.filter((e) => e.type === 'samples');
    expect(samples.map((e) => e.step)).toEqual([4, 8]);
    expect(samples[0]?.labels).toEqual([0, 1, 0, 1]);
    const dir = freshDir();
    await runJob({ ...ganJob(), checkpointDir: dir }, 3);
    const resumed = await runJob({ ...ganJob(), resumeFrom: dir });
    expect([...resumed.steps.keys()]).toEqual([4, 5, 6, 7, 8]);
    for (const [step, metrics] of resumed.steps) expect(metrics).toEqual(whole.steps.get(step));
    // The same fixed noise: the resumed run's last grid is the uninterrupted run's.
    expect(resumed.events.filter((e) => e.type === 'samples').at(-1)).toEqual(samples.at(-1));
  });

  it('says when the backend cannot train a conv family, before any work', () => {
    const noFilterGradient = (kernel: string): boolean => kernel !== 'Conv2DBackpropFilter';
    const backend = tf.getBackend();
    expect(() => checkBackendCanTrain('dcgan', noFilterGradient)).toThrow(
      new RegExp(
        `${backend} backend cannot train dcgan models yet: it has no Conv2DBackpropFilter`,
      ),
    );
    expect(() => checkBackendCanTrain('conv-vae', noFilterGradient)).toThrow(StudioFailure);
    expect(() => checkBackendCanTrain('char-gpt', noFilterGradient)).not.toThrow();
    expect(() => checkBackendCanTrain('dcgan')).not.toThrow(); // the backend these tests run on
  });

  it('samples grids and interpolations from a conv-VAE checkpoint', async () => {
    const dir = freshDir();
    const { outcome } = await runJob({
      jobId: 'vae',
      family: 'conv-vae',
      config: resolveConvVaeConfig({
        imageSize: 8,
        channels: 1,
        latentDim: 3,
        filters: [2, 4],
        batchSize: 4,
      }),
      training: resolveTrainingConfig({ steps: 3, sampleCount: 0 }),
      data: imageParts(barImages(6, 8)),
      checkpointDir: dir,
    });
    expect(outcome.status).toBe('completed');
    const before = tf.memory().numTensors;
    const grid = await runSampleJob({
      jobId: 'g',
      checkpoint: dir,
      kind: 'images',
      mode: 'grid',
      count: 3,
      seed: 5,
    });
    const again = await runSampleJob({
      jobId: 'g',
      checkpoint: dir,
      kind: 'images',
      mode: 'grid',
      count: 3,
      seed: 5,
    });
    expect(again).toEqual(grid);
    expect(
      grid.kind === 'images' &&
        grid.images.map((i) => [i.width, i.height, i.channels, i.pixels.length]),
    ).toEqual([
      [8, 8, 1, 64],
      [8, 8, 1, 64],
      [8, 8, 1, 64],
    ]);
    const frames = await runSampleJob({
      jobId: 'f',
      checkpoint: dir,
      kind: 'images',
      mode: 'interpolation',
      count: 5,
    });
    expect(frames.kind === 'images' && frames.images).toHaveLength(5);
    expect(tf.memory().numTensors).toBe(before);
    expect(existsSync(path.join(dir, 'checkpoint.json'))).toBe(true);
  });
});
