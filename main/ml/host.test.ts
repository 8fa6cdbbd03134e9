import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlHost } from './host';
import { resolveCharGptConfig, resolveCharRnnConfig } from './config/configs';
import { runConfigFromPreset } from './config/presets';
import { resolveTrainingConfig } from './config/trainingConfig';
import type { DenseVaeConfig, ImageJobData, JobEvent, TrainJob } from './protocol';
import { barImages, imageParts } from './worker/testing/syntheticImages';
import { repeatedPhrase, textParts } from './worker/testing/syntheticText';

// A worker thread cannot load the TypeScript sources, so this runs against the build.
const BUILT_WORKER = fileURLToPath(new URL('../../out/main/mlWorker.js', import.meta.url));

const tinyRun = runConfigFromPreset('vae-tiny', { kind: 'image', channels: 1 });
if (tinyRun.family !== 'dense-vae') throw new Error('vae-tiny is not a dense VAE');
const tinyConfig: DenseVaeConfig = tinyRun.config;

let nextJob = 0;
/** The runs service's job for the tiny dense VAE; `steps` sets the loop's length. */
function job(
  config: Partial<DenseVaeConfig> & { steps?: number } = {},
  data = barImages(12, 28),
): TrainJob {
  const { steps = tinyRun.training.steps, ...overrides } = config;
  return {
    jobId: `job-${++nextJob}`,
    family: 'dense-vae',
    config: { ...tinyConfig, ...overrides },
    training: { ...tinyRun.training, steps, sampleEvery: 20, sampleCount: 4 },
    data: imageParts(data),
  };
}

const corpus = repeatedPhrase(30);

function firstProgress(events: JobEvent[]): Promise<void> {
  return new Promise((resolve) => {
    const poll = (): void => {
      if (events.some((e) => e.type === 'progress')) resolve();
      else setTimeout(poll, 5);
    };
    poll();
  });
}

describe('MlHost with the built worker', () => {
  let host: MlHost;

  beforeAll(() => {
    if (!existsSync(BUILT_WORKER)) {
      throw new Error(
        `The built ML worker is missing (${BUILT_WORKER}): run \`npm run build\` first, then the tests again.`,
      );
    }
    host = new MlHost({ workerPath: BUILT_WORKER });
  });

  afterAll(async () => {
    await host?.close();
  });

  it('reports the backend the worker resolved: wasm here, with reasons for the native ones', async () => {
    const report = await host.backend();
    expect(report.active).toBe('wasm');
    const native = report.candidates.filter((c) => c.name.startsWith('tensorflow'));
    expect(native).toHaveLength(2);
    for (const candidate of native) {
      expect(candidate.available).toBe(false);
      expect(candidate.reason).toContain(candidate.packageName);
    }
  });

  it('trains the runs service’s job to the end, streaming progress and samples, with the pixels transferred', async () => {
    const events: JobEvent[] = [];
    const trainJob = job();
    const steps = tinyRun.training.steps;
    const handle = host.train(trainJob, (event) => events.push(event));
    // Transferred, not copied: the host's copy is detached at once.
    expect((trainJob.data as ImageJobData).train.pixels.byteLength).toBe(0);

    expect(await handle.done).toMatchObject({ status: 'completed', step: steps });
    const progress = events.filter((e) => e.type === 'progress');
    expect(progress.at(-1)).toMatchObject({ step: steps, totalSteps: steps });
    const samples = events.filter((e) => e.type === 'samples');
    expect(samples.map((s) => s.step)).toEqual([20, 40, 60]);
    const image = samples[0]?.images[0];
    expect(image).toMatchObject({ width: 28, height: 28, channels: 1 });
    expect(image?.pixels).toBeInstanceOf(Uint8Array);
    expect(image?.pixels.length).toBe(28 * 28);

    // Sending the same job again cannot work: its pixels now live in the worker.
    const again = await host.train({ ...trainJob, jobId: 'sent-twice' }, () => undefined).done;
    expect(again.status).toBe('failed');
    expect(again.error?.message).toMatch(/could not be sent to the ML worker/);
  });

  it('trains the audit classifier beside a running training job, and cancels it on request', async () => {
    // Two well separated classes with one flipped label: out-of-fold, row 7 looks like class 1.
    const rows = 40;
    const features = new Float32Array(rows * 2);
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      labels[i] = i < 20 ? 0 : 1;
      features[i * 2 + labels[i]!] = 3 + ((i * 7) % 5) / 10;
    }
    labels[7] = 1;
    features[7 * 2] = 0;
    features[7 * 2 + 1] = 3;
    const events: JobEvent[] = [];
    const long = host.train(job({ steps: 100_000 }), (event) => events.push(event));
    await firstProgress(events);
    const progress: number[] = [];
    const probabilities = await host.classify(
      { jobId: 'classify-1', features, labels, dim: 2, classes: 2, options: { hidden: 8 } },
      (done) => progress.push(done),
    );
    // Not queued behind the endless training job, which is still running.
    expect(events.filter((e) => e.type === 'progress').length).toBeGreaterThan(0);
    expect(features.byteLength).toBe(0); // transferred
    expect(probabilities).toHaveLength(rows * 2);
    expect(progress.length).toBeGreaterThan(0);
    expect(probabilities[7 * 2 + 1]).toBeGreaterThan(0.5);
    expect(probabilities[30 * 2 + 1]).toBeGreaterThan(0.5);

    const big = new Float32Array(4000 * 2);
    const cancelled = host.classify(
      {
        jobId: 'classify-2',
        features: big,
        labels: new Int32Array(4000).map((_, i) => i % 2),
        dim: 2,
        classes: 2,
        options: { stepsPerFold: 100_000 },
      },
      () => host.cancel('classify-2'),
    );
    await expect(cancelled).rejects.toMatchObject({ message: 'The request was cancelled.' });
    long.stop();
    expect((await long.done).status).toBe('stopped');
  });

  it('stops a running job mid-training and removes a queued one', async () => {
    const longEvents: JobEvent[] = [];
    const long = host.train(job({ steps: 100_000 }), (event) => longEvents.push(event));
    const queued = host.train(job(), () => undefined);
    queued.stop();
    expect(await queued.done).toMatchObject({ status: 'stopped', step: 0 });

    await firstProgress(longEvents);
    long.stop();
    const outcome = await long.done;
    expect(outcome.status).toBe('stopped');
    expect(outcome.step).toBeGreaterThan(0);
    expect(outcome.step).toBeLessThan(100_000);
  });

  it('turns a bad job into a failed outcome and keeps serving', async () => {
    const wrongChannels = await host.train(job({}, barImages(4, 28, 3)), () => undefined).done;
    expect(wrongChannels.status).toBe('failed');
    expect(wrongChannels.error).toMatchObject({ code: 'ml' });
    expect(wrongChannels.error?.message).toMatch(/3 channels but the model expects 1/);

    const badConfig = await host.train(job({ hiddenUnits: -1 }), () => undefined).done;
    expect(badConfig).toMatchObject({ status: 'failed', error: { code: 'ml' } });
    expect(badConfig.error?.message).toMatch(/hiddenUnits/);

    const diverging = await host.train(job({ learningRate: 1e6 }), () => undefined).done;
    expect(diverging).toMatchObject({ status: 'failed', error: { code: 'ml' } });
    expect(diverging.error?.message).toMatch(/diverged/);

    const fine = await host.train(job({ steps: 3 }), () => undefined).done;
    expect(fine).toMatchObject({ status: 'completed', step: 3 });
  });

  it('trains a character GPT with checkpoints, then samples text from it and estimates a config', async () => {
    const checkpointDir = mkdtempSync(path.join(os.tmpdir(), 'ml-host-ckpt-'));
    try {
      const events: JobEvent[] = [];
      const parts = textParts(corpus.tokens, 0.1);
      const handle = host.train(
        {
          jobId: 'gpt-1',
          family: 'char-gpt',
          config: resolveCharGptConfig({
            vocabSize: corpus.vocabulary.length,
            contextLength: 12,
            layers: 1,
            heads: 2,
            width: 16,
            batchSize: 4,
            learningRate: 1e-2,
          }),
          training: resolveTrainingConfig({
            steps: 12,
            sampleEvery: 6,
            sampleCount: 2,
            validateEvery: 6,
          }),
          data: {
            ...parts,
            vocabulary: corpus.vocabulary,
            decoding: { prompt: 'he', maxLength: 8 },
          },
          checkpointDir,
        },
        (event) => events.push(event),
      );
      expect(parts.train.byteLength).toBe(0); // transferred
      expect(await handle.done).toMatchObject({ status: 'completed', step: 12 });
      expect(events.filter((e) => e.type === 'validation').map((e) => e.step)).toEqual([6, 12]);
      const texts = events.filter((e) => e.type === 'text-samples');
      expect(texts.map((e) => e.texts.length)).toEqual([2, 2]);
      expect(events.filter((e) => e.type === 'checkpoint')).toEqual([
        { type: 'checkpoint', step: 12, dir: checkpointDir },
      ]);

      const sample = await host.sample({
        jobId: 'sample-1',
        checkpoint: checkpointDir,
        kind: 'text',
        prompt: 'hel',
        maxLength: 5,
        topK: 1,
        count: 3,
      });
      expect(sample.kind).toBe('text');
      expect(sample.step).toBe(12);
      if (sample.kind === 'text') {
        expect(sample.texts).toHaveLength(3);
        expect(new Set(sample.texts).size).toBe(1); // greedy: the same text three times
        expect(sample.texts[0]).toMatch(/^hel.{5}$/s);
      }
      await expect(
        host.sample({
          jobId: 'sample-2',
          checkpoint: path.join(checkpointDir, 'missing'),
          kind: 'text',
        }),
      ).rejects.toMatchObject({ code: 'not-found' });

      const estimate = await host.estimate({
        jobId: 'estimate-1',
        family: 'char-rnn',
        config: resolveCharRnnConfig({
          vocabSize: 30,
          sequenceLength: 8,
          hiddenUnits: 16,
          embeddingDim: 8,
          batchSize: 4,
        }),
        measureSteps: 2,
        warmupSteps: 1,
      });
      expect(estimate).toMatchObject({ family: 'char-rnn', backend: 'wasm', batchSize: 4 });
      expect(estimate.msPerStep).toBeGreaterThan(0);
      await expect(
        host.estimate({
          jobId: 'estimate-2',
          family: 'char-gpt',
          // Typed as resolved, wrong in value: the worker checks what crosses the thread.
          config: { ...resolveCharGptConfig(), width: 30, heads: 4 },
        }),
      ).rejects.toThrow(/divisible by heads/);
    } finally {
      rmSync(checkpointDir, { recursive: true, force: true });
    }
  });

  it('ends the running job as stopped when the host closes, and starts afresh after', async () => {
    const events: JobEvent[] = [];
    const running = host.train(job({ steps: 100_000 }), (event) => events.push(event));
    await firstProgress(events);
    await host.close();
    const outcome = await running.done;
    expect(outcome.status).toBe('stopped');
    expect(outcome.step).toBeGreaterThan(0);

    expect((await host.backend()).active).toBe('wasm');
  });
});

describe('MlHost when the worker dies', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ml-host-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in worker that answers 'init' and dies on the first job, as a crash would. */
  function dyingWorker(death: string): string {
    const file = path.join(dir, `dying-${Math.random().toString(36).slice(2)}.js`);
    writeFileSync(
      file,
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (message) => {
  if (message.type === 'init') {
    parentPort.postMessage({ type: 'ready', backend: { active: 'cpu', candidates: [], threads: null, advice: '' } });
  } else if (message.type === 'train') {
    ${death}
  }
});`,
    );
    return file;
  }

  it('fails the pending jobs with a message and restarts the worker on the next call', async () => {
    // The stand-in ignores 'shutdown', so close() has to fall back to terminating it.
    const host = new MlHost({ workerPath: dyingWorker('process.exit(3);'), closeTimeoutMs: 100 });
    try {
      const first = host.train(job(), () => undefined);
      const second = host.train(job(), () => undefined);
      for (const outcome of await Promise.all([first.done, second.done])) {
        expect(outcome.status).toBe('failed');
        expect(outcome.error?.code).toBe('ml');
        expect(outcome.error?.message).toMatch(/ML worker stopped unexpectedly \(exit code 3\)/);
      }
      expect((await host.backend()).active).toBe('cpu');
    } finally {
      await host.close();
    }
  });

  it('says what the worker died of', async () => {
    const host = new MlHost({
      workerPath: dyingWorker("throw new Error('out of memory in kernel');"),
    });
    try {
      const outcome = await host.train(job(), () => undefined).done;
      expect(outcome.status).toBe('failed');
      expect(outcome.error?.message).toMatch(/out of memory in kernel/);
    } finally {
      await host.close();
    }
  });

  it('rejects backend() with an ml error when the worker file cannot start', async () => {
    const host = new MlHost({ workerPath: path.join(dir, 'no-such-worker.js') });
    try {
      await expect(host.backend()).rejects.toMatchObject({ code: 'ml' });
    } finally {
      await host.close();
    }
  });
});
