import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunAlarm } from '../../preload/contract';
import { StudioEventBus } from '../common/events';
import { openDatabase, type Db } from '../db/connection';
import { migrate } from '../db/migrate';
import { tempDir } from '../testing/fixtures';
import { AlarmRepository } from './alarmRepository';
import { RunWatch } from './runWatch';

let dataDir: string;
let cleanup: () => Promise<void>;
let db: Db;
let alarms: AlarmRepository;
const checkpoints = (): string => path.join(dataDir, 'runs', '1', 'checkpoints');

/** What the worker's checkpoint writer leaves: the manifest and only the newest weights file. */
function writeCheckpoint(step: number, weights: string): void {
  const dir = checkpoints();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const weightsFile = `weights-${String(step).padStart(8, '0')}.bin`;
  writeFileSync(path.join(dir, weightsFile), weights);
  writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify({ step, weightsFile }));
}

beforeEach(() => {
  ({ dir: dataDir, cleanup } = tempDir());
  db = openDatabase(path.join(dataDir, 'studio.db'));
  migrate(db);
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'd', 'text', '/d', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now');
           INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
             total_steps, created_at)
             VALUES (1, 1, 1, 'char-gpt', 'gpt-tiny', '{}', 'running', 60, 'now');`);
  alarms = new AlarmRepository(db);
});

afterEach(async () => {
  db.close();
  await cleanup();
});

function watch(events = new StudioEventBus()): RunWatch {
  return new RunWatch(1, 'char-gpt', {
    dataDir,
    alarms,
    events,
    runs: { recordProgress: () => undefined },
  });
}

describe('RunWatch', () => {
  it('keeps the checkpoint with the lowest validation loss after newer ones replace it', async () => {
    const w = watch();
    w.observe(20, { val_loss: 2.0 });
    writeCheckpoint(20, 'weights of step 20');
    await w.checkpointWritten(20, checkpoints());
    w.observe(40, { val_loss: 1.5 });
    writeCheckpoint(40, 'weights of step 40');
    await w.checkpointWritten(40, checkpoints());
    w.observe(60, { val_loss: 1.9 });
    writeCheckpoint(60, 'weights of step 60');
    await w.checkpointWritten(60, checkpoints());

    expect(alarms.best(1)).toEqual({
      dir: path.join('runs', '1', 'best'),
      step: 40,
      metric: 'val_loss',
      value: 1.5,
    });
    const best = path.join(dataDir, 'runs', '1', 'best');
    expect(readFileSync(path.join(best, 'weights-00000040.bin'), 'utf8')).toBe(
      'weights of step 40',
    );
    expect(JSON.parse(readFileSync(path.join(best, 'checkpoint.json'), 'utf8'))).toMatchObject({
      step: 40,
    });
    expect(existsSync(path.join(best, 'weights-00000020.bin'))).toBe(false);
  });

  it('skips a checkpoint a newer one already replaced', async () => {
    const w = watch();
    w.observe(20, { val_loss: 2.0 });
    writeCheckpoint(40, 'weights of step 40');
    await w.checkpointWritten(20, checkpoints());
    expect(alarms.best(1)).toBeNull();
  });

  it('stores and pushes the alarms the metrics raise, and drops those after a step', () => {
    const events = new StudioEventBus();
    const pushed: RunAlarm[] = [];
    events.on('runs:alarm', (a) => pushed.push(a));
    const w = watch(events);
    w.observe(5, { loss: 1 });
    w.observe(6, { loss: NaN });
    expect(pushed).toHaveLength(1);
    expect(pushed[0]).toMatchObject({ runId: 1, step: 6, kind: 'divergence', value: null });
    expect(alarms.list(1)).toEqual(pushed);
    alarms.dropAfter(1, 5);
    expect(alarms.list(1)).toEqual([]);
  });
});
