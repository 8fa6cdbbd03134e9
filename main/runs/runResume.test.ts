import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { openDatabase } from '../db/connection';
import { tempDir } from '../testing/fixtures';

// Resume after what a kill -9 leaves behind, and a failing write, over the real ML worker (the
// built out/main/mlWorker.js). Each test trains its own run.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

let dataDir: string;
let core: StudioCore;
let cleanup: () => Promise<void>;
let imageDataset: number;

function openCore(): StudioCore {
  return new StudioCore({ dataDir, shell: 'browser', workerPath: WORKER });
}

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir();
  dataDir = t.dir;
  cleanup = t.cleanup;
  core = openCore();
  imageDataset = (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
    .dataset.id;
}, 120_000);

afterAll(async () => {
  await core.close();
  await cleanup();
});

/**
 * What a process killed at step 39 of a run checkpointed at 20 leaves: metrics of steps 21..39, a
 * sample row and file at step 40's name (the run sampled there before, say, a longer resume), a
 * file written but never recorded, and the run still 'running'.
 */
function leaveKilledRun(runId: number): { orphan: string } {
  const db = openDatabase(path.join(dataDir, 'studio.db'));
  const samples = path.join('runs', String(runId), 'samples');
  mkdirSync(path.join(dataDir, samples), { recursive: true });
  const recorded = path.join(samples, 'step-000040-00.png');
  const orphan = path.join(samples, 'step-000039-00.png');
  writeFileSync(path.join(dataDir, recorded), 'not really a png');
  writeFileSync(path.join(dataDir, orphan), 'not really a png');
  db.transaction(() => {
    for (let step = 21; step < 40; step++) {
      db.prepare(
        `INSERT INTO run_metrics (run_id, step, name, value) VALUES (?, ?, 'loss', 999)`,
      ).run(runId, step);
    }
    db.prepare(
      `INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at, kind)
       VALUES (?, 40, 0, ?, 28, 28, 'then', 'image')`,
    ).run(runId, recorded);
    db.prepare(`UPDATE runs SET status = 'running', step = 39, ended_at = NULL WHERE id = ?`).run(
      runId,
    );
  })();
  db.close();
  return { orphan: path.join(dataDir, orphan) };
}

describe('resume', () => {
  it('resumes a killed run: what came after its checkpoint is dropped and it ends at its steps', async () => {
    const started = await core.runs.start({
      datasetId: imageDataset,
      presetId: 'conv-vae-tiny',
      steps: 20,
    });
    const first = await core.runs.waitFor(started.id);
    expect(first).toMatchObject({ status: 'completed', checkpointStep: 20 });
    expect(first.checkpointAt).not.toBeNull();
    await core.close();
    const { orphan } = leaveKilledRun(started.id);
    // The next start finds the run it left 'running' and says it was interrupted.
    core = openCore();
    expect(core.runs.summary(started.id)).toMatchObject({ status: 'interrupted', step: 39 });

    const resumed = await core.runs.resume(started.id, 40);
    expect(resumed).toMatchObject({ status: 'queued', step: 20, totalSteps: 40 });
    expect(existsSync(orphan)).toBe(false);
    const finished = await core.runs.waitFor(started.id);
    expect(finished).toMatchObject({ status: 'completed', step: 40, checkpointStep: 40 });
    const losses = core.runs.get(started.id).metrics.filter((m) => m.name === 'loss');
    expect(losses.some((m) => m.value === 999)).toBe(false);
    expect(losses.at(-1)?.step).toBe(40);
    const atForty = core.samples(started.id).filter((s) => s.step === 40);
    expect(atForty.length).toBeGreaterThan(0);
    expect(atForty.every((s) => s.createdAt !== 'then')).toBe(true);
  }, 120_000);

  it('fails a run whose samples cannot be saved, with a message, and keeps the studio working', async () => {
    core.db.exec(`CREATE TEMP TRIGGER refuse_samples BEFORE INSERT ON samples
                  BEGIN SELECT RAISE(ABORT, 'disk is full (simulated)'); END;`);
    let failedRunId: number;
    try {
      const started = await core.runs.start({
        datasetId: imageDataset,
        presetId: 'vae-tiny',
        steps: 20,
      });
      failedRunId = started.id;
      const failed = await core.runs.waitFor(started.id);
      expect(failed.status).toBe('failed');
      expect(failed.message).toMatch(/samples of step 20 could not be saved: disk is full/);
    } finally {
      core.db.exec('DROP TRIGGER refuse_samples');
    }
    // The failed run resumes from its last checkpoint like any other.
    await core.runs.resume(failedRunId, 30);
    const resumed = await core.runs.waitFor(failedRunId);
    expect(resumed).toMatchObject({ status: 'completed', step: 30 });
    expect(core.samples(failedRunId).some((s) => s.step === 30)).toBe(true);
  }, 120_000);
});
