import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';

// The runs service end to end over the real ML worker (the built out/main/mlWorker.js): every
// family the app offers trains from a dataset version, and a stopped run resumes from its
// checkpoint to the end. Each test trains its own run: none depends on another.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

let core: StudioCore;
let cleanup: () => Promise<void>;
let imageDataset: number;
let textDataset: number;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir();
  cleanup = t.cleanup;
  core = new StudioCore({ dataDir: t.dir, shell: 'browser', workerPath: WORKER });
  imageDataset = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
    .dataset.id;
  textDataset = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-text')))
    .dataset.id;
}, 120_000);

afterAll(async () => {
  await core.close();
  await cleanup();
});

describe('RunService', () => {
  it('trains a conv VAE on the version split, with validation metrics, samples and a checkpoint', async () => {
    const started = await core.runs.start({ datasetId: imageDataset, presetId: 'conv-vae-tiny' });
    const run = await core.runs.waitFor(started.id);
    expect(run).toMatchObject({ status: 'completed', step: run.totalSteps, backend: 'wasm' });
    expect(run.checkpointStep).toBe(run.totalSteps);
    const names = new Set(core.runs.get(run.id).metrics.map((m) => m.name));
    expect(names.has('loss')).toBe(true);
    expect([...names].some((n) => n.startsWith('val_'))).toBe(true);
    const samples = core.samples(run.id);
    expect(samples.length).toBeGreaterThan(0);
    expect(samples.every((s) => s.kind === 'image' && s.width === 28)).toBe(true);
  });

  it('trains a character GPT on a text dataset, keeps its text samples and continues a prompt', async () => {
    const started = await core.runs.start({
      datasetId: textDataset,
      presetId: 'char-gpt-tiny',
      steps: 12,
      // Judging the run is evaluationService.test.ts's; it costs this test ~20 s of text sampling.
      evaluateAtEnd: false,
    });
    const run = await core.runs.waitFor(started.id);
    expect(run.status).toBe('completed');
    const texts = core.samples(run.id).filter((s) => s.kind === 'text');
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((s) => typeof s.text === 'string' && s.text.length > 0)).toBe(true);

    const continued = await core.runs.generate({
      runId: run.id,
      prompt: 'Shall I',
      count: 2,
      maxLength: 20,
      topK: 1,
    });
    expect(continued).toHaveLength(2);
    // top-k 1 is greedy: both continuations of the same prompt are the same text.
    expect(continued[0]?.text).toBe(continued[1]?.text);
    expect(continued[0]?.text?.startsWith('Shall I')).toBe(true);
  }, 120_000);

  it('draws VAE interpolations from a checkpoint and keeps them beside the training samples', async () => {
    const started = await core.runs.start({
      datasetId: imageDataset,
      presetId: 'conv-vae-tiny',
      steps: 10,
    });
    const run = await core.runs.waitFor(started.id);
    expect(run.status).toBe('completed');
    const before = core.samples(run.id).length;
    const frames = await core.runs.generate({ runId: run.id, mode: 'interpolation', count: 5 });
    expect(frames).toHaveLength(5);
    expect(frames.every((f) => f.kind === 'image' && f.step === run.totalSteps)).toBe(true);
    expect(core.samples(run.id)).toHaveLength(before + 5);
  }, 120_000);

  it('refuses a preset for the other kind of data with a message', async () => {
    await expect(
      core.runs.start({ datasetId: textDataset, presetId: 'dcgan-tiny' }),
    ).rejects.toThrow(/trains on image data/);
  });

  it('resumes a stopped GAN run from its checkpoint and finishes it', async () => {
    const started = await core.runs.start({
      datasetId: imageDataset,
      presetId: 'dcgan-tiny',
      steps: 200,
    });
    await new Promise<void>((resolve) => {
      const off = core.events.on('runs:progress', (p) => {
        if (p.runId === started.id && p.step >= 5) {
          off();
          resolve();
        }
      });
    });
    const stopped = await core.runs.stop(started.id);
    expect(stopped.status).toBe('stopped');
    expect(stopped.checkpointStep).toBeGreaterThanOrEqual(5);
    expect(stopped.checkpointStep).toBeLessThan(200);
    await core.runs.resume(started.id);
    const finished = await core.runs.waitFor(started.id);
    expect(finished).toMatchObject({ status: 'completed', step: 200, checkpointStep: 200 });
    // The resumed run keeps one history: its steps continue, none is recorded twice.
    const steps = core.runs
      .get(started.id)
      .metrics.filter((m) => m.name === 'dLoss')
      .map((m) => m.step);
    expect(steps).toEqual([...new Set(steps)].sort((a, b) => a - b));
    expect(steps.at(-1)).toBe(200);
  }, 120_000);
});
