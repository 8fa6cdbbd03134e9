import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { runCheckpointTime } from './0006-run-checkpoint-time';

describe('0006 run checkpoint time', () => {
  it('keeps existing runs (their checkpoint time unknown) and stores the time of new ones', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const before = MIGRATIONS.indexOf(runCheckpointTime);
    migrate(db, MIGRATIONS.slice(0, before));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at, checkpoint_dir, checkpoint_step)
               VALUES (1, 1, 1, 'conv-vae', 'conv-vae-tiny', '{}', 'stopped', 60, 'now',
                 'runs/1/checkpoints', 20);`);
    migrate(db);
    expect(db.prepare('SELECT checkpoint_step, checkpoint_at FROM runs').get()).toEqual({
      checkpoint_step: 20,
      checkpoint_at: null,
    });
    db.prepare(`UPDATE runs SET checkpoint_at = '2026-12-03T05:00:00.000Z'`).run();
    expect(db.prepare('SELECT checkpoint_at FROM runs').get()).toEqual({
      checkpoint_at: '2026-12-03T05:00:00.000Z',
    });
  });
});
