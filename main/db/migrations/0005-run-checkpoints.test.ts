import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';

describe('0005 run checkpoints', () => {
  it('keeps existing samples as images and accepts text samples and checkpoint columns', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at) VALUES (1, 1, 1, 'dense-vae', 'vae-tiny', '{}', 'completed', 5, 'now');
             INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 5, 0, 'runs/1/a.png', 28, 28, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT kind, text FROM samples').get()).toEqual({
      kind: 'image',
      text: null,
    });
    db.prepare(
      `INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at, kind, text)
       VALUES (1, 5, 1, 'runs/1/b.txt', 0, 0, 'now', 'text', 'to be or not')`,
    ).run();
    expect(() => db.prepare(`UPDATE samples SET kind = 'audio' WHERE idx = 1`).run()).toThrow(
      /CHECK/,
    );
    db.prepare(`UPDATE runs SET checkpoint_dir = 'runs/1/checkpoints', checkpoint_step = 5`).run();
    expect(db.prepare('SELECT checkpoint_step FROM runs').get()).toEqual({ checkpoint_step: 5 });
  });
});
