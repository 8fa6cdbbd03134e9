import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';

// The best checkpoint and roll back over the real ML worker (the built out/main/mlWorker.js).
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

let core: StudioCore;
let dataDir: string;
let cleanup: () => Promise<void>;
let datasetId: number;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  ({ dir: dataDir, cleanup } = tempDir());
  core = new StudioCore({ dataDir, shell: 'browser', workerPath: WORKER });
  datasetId = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
    .dataset.id;
}, 120_000);

afterAll(async () => {
  await core.close();
  await cleanup();
});

describe('best checkpoint and roll back', () => {
  it('keeps the best checkpoint past worse ones, continues from it, and ends the run there', async () => {
    const started = await core.runs.start({ datasetId, presetId: 'conv-vae-tiny', steps: 20 });
    expect(await core.runs.waitFor(started.id)).toMatchObject({ status: 'completed', step: 20 });
    const first = (await core.handlers['runs:alarms']({ runId: started.id })).best;
    expect(first).toMatchObject({ step: 20, metric: 'val_loss' });
    // A tiny VAE's validation loss only falls over 40 steps; a step-20 figure no later one beats
    // stands in for the run that got worse after it.
    core.db.prepare('UPDATE run_best_checkpoints SET value = 0 WHERE run_id = ?').run(started.id);

    await core.runs.resume(started.id, 40);
    expect(await core.runs.waitFor(started.id)).toMatchObject({ status: 'completed', step: 40 });
    expect((await core.handlers['runs:alarms']({ runId: started.id })).best?.step).toBe(20);
    const best = path.join(dataDir, 'runs', String(started.id), 'best');
    expect(existsSync(path.join(best, 'weights-00000020.bin'))).toBe(true);

    const continued = await core.handlers['runs:rollback']({ runId: started.id, continue: true });
    expect(continued).toMatchObject({ status: 'queued', step: 20, totalSteps: 40 });
    expect(await core.runs.waitFor(started.id)).toMatchObject({ status: 'completed', step: 40 });
    const losses = core.runs.get(started.id).metrics.filter((m) => m.name === 'loss');
    expect(losses.filter((m) => m.step === 40)).toHaveLength(1);

    const announced: number[] = [];
    const unsubscribe = core.events.on('runs:status', (run) => announced.push(run.step));
    const ended = await core.handlers['runs:rollback']({ runId: started.id, continue: false });
    unsubscribe();
    expect(ended).toMatchObject({ status: 'completed', step: 20, totalSteps: 20 });
    // The run view follows status events, so the end must be announced.
    expect(announced).toEqual([20]);
    expect(ended.message).toMatch(/best checkpoint \(step 20/);
    expect(core.runs.get(started.id).metrics.every((m) => m.step <= 20)).toBe(true);
    expect(core.samples(started.id).every((s) => s.step <= 20)).toBe(true);
    await expect(
      core.handlers['runs:rollback']({ runId: started.id, continue: true }),
    ).rejects.toThrow(/nothing to redo/);
  }, 180_000);
});
