import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { tempDir } from '../testing/fixtures';
import { RunRepository } from './runRepository';

// Each metric point carries the run's training time when it was recorded, so compared runs can
// overlay by the time they took; a resumed run's clock goes on from what it kept, not from 0.
let db: Db;
let cleanup: () => Promise<void>;
let runs: RunRepository;

beforeEach(() => {
  let dir: string;
  ({ dir, cleanup } = tempDir());
  db = openDatabase(path.join(dir, 'studio.db'));
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'digits', 'image', '/d', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now');`);
  runs = new RunRepository(db);
});

afterEach(async () => {
  db.close();
  await cleanup();
});

const secondsOf = (runId: number, step: number) =>
  runs.metrics(runId).find((p) => p.step === step && p.name === 'loss')?.seconds;

describe('training time of metric points', () => {
  it('is recorded while training, not for figures judged later, and goes on after a resume', () => {
    const runId = runs.create({
      datasetId: 1,
      versionId: 1,
      family: 'dense-vae',
      presetId: 'vae-tiny',
      config: {},
      totalSteps: 40,
    });
    runs.markStarted(runId, 'wasm');
    runs.recordProgress(runId, 10, { loss: 0.9 });
    runs.recordProgress(runId, 20, { loss: 0.8 });
    const first = secondsOf(runId, 10);
    expect(first).toBeTypeOf('number');
    expect(secondsOf(runId, 20)).toBeGreaterThanOrEqual(first!);

    runs.finish(runId, 'stopped', 20, null);
    runs.recordProgress(runId, 20, { eval_precision: 0.5 });
    const judged = runs.metrics(runId).find((p) => p.name === 'eval_precision');
    expect(judged?.seconds).toBeNull();

    // The kept point at step 10 stands for 5 s of training (the first session's clock); the
    // point past the checkpoint is dropped and the second session starts from 5 s.
    db.prepare(`UPDATE run_metrics SET elapsed_ms = 5000 WHERE run_id = ? AND step = 10`).run(
      runId,
    );
    runs.restartFromCheckpoint(runId, 10, 40);
    runs.markStarted(runId, 'wasm');
    runs.recordProgress(runId, 20, { loss: 0.7 });
    expect(secondsOf(runId, 20)).toBeGreaterThanOrEqual(5);
  });
});
