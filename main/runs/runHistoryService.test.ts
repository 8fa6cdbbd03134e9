import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { tempDir, writeFile } from '../testing/fixtures';
import { RunHistoryService } from './runHistoryService';
import { RunRepository } from './runRepository';

// The history over a real database and real files: no ML worker, since nothing here trains.
let db: Db;
let dir: string;
let cleanup: () => Promise<void>;
let runs: RunRepository;
let training: Set<number>;
let history: RunHistoryService;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  db = openDatabase(path.join(dir, 'studio.db'));
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'digits', 'image', '/d', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now'), (2, 1, 2, 'curated', 'now');
           INSERT INTO audit_runs (dataset_id, version_id, status, score, started_at)
             VALUES (1, 2, 'completed', 87.5, 'now');`);
  runs = new RunRepository(db);
  training = new Set();
  history = new RunHistoryService({ dataDir: dir, runs, isTraining: (id) => training.has(id) });
});

afterEach(async () => {
  db.close();
  await cleanup();
});

function newRun(versionId: number, steps: number, losses: number[]): number {
  const runId = runs.create({
    datasetId: 1,
    versionId,
    family: 'dense-vae',
    presetId: 'vae-tiny',
    config: { family: 'dense-vae', config: { latentDim: 8 }, training: { steps, seed: 1 } },
    totalSteps: steps,
  });
  losses.forEach((loss, i) =>
    runs.recordProgress(runId, (i + 1) * 10, { loss, kl: 1, learningRate: 0.01 }),
  );
  return runId;
}

async function writeRunFiles(runId: number): Promise<void> {
  const rel = path.join('runs', String(runId), 'samples', 'step-000010-00.png');
  await writeFile(dir, rel, Buffer.alloc(100));
  await writeFile(
    dir,
    path.join('runs', String(runId), 'checkpoints', 'model.bin'),
    Buffer.alloc(900),
  );
  runs.addSamples(runId, [
    { kind: 'image', step: 10, index: 0, filePath: rel, width: 2, height: 2 },
  ]);
  runs.setCheckpoint(runId, path.join('runs', String(runId), 'checkpoints'), 10);
}

describe('RunHistoryService', () => {
  it('summarises each metric by its final and best value, and the version with its audit score', () => {
    const runId = newRun(2, 30, [3, 1, 2]);
    const run = runs.get(runId);
    expect(run?.metricSummary['loss']).toEqual({ final: 2, best: 1, better: 'lower' });
    expect(run).toMatchObject({ versionNumber: 2, versionAuditScore: 87.5 });
    expect(runs.get(newRun(1, 30, [1]))?.versionAuditScore).toBeNull();
  });

  it('takes a z-score nearest 0 as its best, and ranks runs by it, not by its lowest value', () => {
    const copying = newRun(1, 30, [1]);
    const healthy = newRun(1, 30, [1]);
    [-6, -0.4, 2.5].forEach((z, i) =>
      runs.recordProgress(healthy, (i + 1) * 10, {
        eval_data_copying_z: z,
        eval_distinct_chars_2: 0.5 + i / 10,
      }),
    );
    [-9, -5].forEach((z, i) =>
      runs.recordProgress(copying, (i + 1) * 10, { eval_data_copying_z: z }),
    );
    expect(runs.get(healthy)?.metricSummary['eval_data_copying_z']).toEqual({
      final: 2.5,
      best: -0.4,
      better: 'zero',
    });
    // Diversity is better higher.
    expect(runs.get(healthy)?.metricSummary['eval_distinct_chars_2']).toMatchObject({
      best: 0.7,
      better: 'higher',
    });
    const comparison = history.compare([copying, healthy]);
    const z = comparison.metrics.find((m) => m.name === 'eval_data_copying_z');
    expect(z).toMatchObject({ better: 'zero', bestRunId: healthy });
  });

  it('keeps names, tags and notes, and hides archived runs from the default list', () => {
    const a = newRun(1, 30, [1]);
    const b = newRun(1, 30, [1]);
    const named = history.annotate(a, { name: '  baseline ', tags: ['vae', 'vae', ' small '] });
    expect(named).toMatchObject({ name: 'baseline', tags: ['vae', 'small'], notes: '' });
    expect(history.annotate(a, { notes: 'lr too high' })).toMatchObject({
      name: 'baseline',
      notes: 'lr too high',
    });
    expect(history.annotate(a, { name: null }).name).toBeNull();
    history.archive([b], true);
    expect(runs.list().map((r) => r.id)).toEqual([a]);
    expect(runs.list(undefined, true).map((r) => r.id)).toEqual([b, a]);
    history.archive([b], false);
    expect(runs.list().map((r) => r.id)).toEqual([b, a]);
  });

  it('compares runs: every metric with the best marked, only the differing config keys', async () => {
    const a = newRun(1, 30, [3, 2, 1.5]);
    const b = newRun(2, 20, [2, 1]);
    await writeRunFiles(a);
    await writeRunFiles(b);
    const comparison = history.compare([a, b]);
    expect(comparison.runs.map((r) => r.id)).toEqual([a, b]);
    expect(comparison.metrics.find((m) => m.name === 'loss')).toMatchObject({
      bestRunId: b,
      values: [
        { final: 1.5, best: 1.5 },
        { final: 1, best: 1 },
      ],
    });
    expect(comparison.metrics.find((m) => m.name === 'kl')?.bestRunId).toBe(a);
    expect(comparison.configDiff).toEqual([
      { key: 'dataset', values: ['digits v1', 'digits v2'] },
      { key: 'training.steps', values: [30, 20] },
    ]);
    expect(comparison.metrics.find((m) => m.name === 'learningRate')?.bestRunId).toBeNull();
    expect(comparison.commonSampleSteps).toEqual([10]);
    expect(() => history.compare([a])).toThrow(/2 to 8/);
  });

  it('shows what a delete reclaims, then removes the records and the files', async () => {
    const keep = newRun(1, 30, [1]);
    const gone = newRun(1, 30, [1, 2]);
    await writeRunFiles(keep);
    await writeRunFiles(gone);
    const preview = await history.deletePreview([gone]);
    expect(preview).toEqual({
      runIds: [gone],
      sampleCount: 1,
      checkpointCount: 1,
      fileCount: 2,
      bytes: 1000,
    });
    expect(await history.delete([gone])).toEqual(preview);
    expect(runs.get(gone)).toBeNull();
    expect(runs.metrics(gone)).toEqual([]);
    expect(existsSync(path.join(dir, 'runs', String(gone)))).toBe(false);
    expect(existsSync(path.join(dir, 'runs', String(keep), 'checkpoints', 'model.bin'))).toBe(true);
    expect(runs.samples(keep)).toHaveLength(1);
    // A deleted run's id is never handed out again, so notes that name "run 2" stay true.
    expect(newRun(1, 30, [1])).toBeGreaterThan(gone);
  });

  it('refuses to delete a run that is training', async () => {
    const runId = newRun(1, 30, [1]);
    training.add(runId);
    await expect(history.delete([runId])).rejects.toMatchObject({ code: 'conflict' });
    expect(runs.get(runId)).not.toBeNull();
  });
});
