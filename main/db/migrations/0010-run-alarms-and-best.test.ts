import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { runAlarmsAndBest } from './0010-run-alarms-and-best';

describe('0010 run alarms and best checkpoint', () => {
  it('keeps existing runs and stores alarms of known kinds and one best checkpoint per run', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(runAlarmsAndBest)));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at)
               VALUES (1, 1, 1, 'conv-vae', 'conv-vae-tiny', '{}', 'stopped', 60, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    db.exec(`INSERT INTO run_alarms (run_id, step, kind, metric, value, message, created_at)
               VALUES (1, 40, 'divergence', 'loss', NULL, 'loss became NaN', 'now');
             INSERT INTO run_best_checkpoints (run_id, dir, step, metric, value)
               VALUES (1, 'runs/1/best', 20, 'val_loss', 1.5);`);
    expect(() =>
      db.exec(`INSERT INTO run_alarms (run_id, step, kind, metric, message, created_at)
                 VALUES (1, 1, 'boredom', 'loss', 'x', 'now')`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(`INSERT INTO run_best_checkpoints (run_id, dir, step, metric)
                 VALUES (1, 'runs/1/best', 30, 'loss')`),
    ).toThrow(/UNIQUE|PRIMARY/);
  });
});
