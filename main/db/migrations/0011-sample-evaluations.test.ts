import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { sampleEvaluations } from './0011-sample-evaluations';

describe('0011 sample evaluations', () => {
  it('keeps existing samples unjudged, drops evidence with its sample, and refuses a reversed stretch', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(sampleEvaluations)));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'text', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at)
               VALUES (1, 1, 1, 'char-rnn', 'char-rnn-tiny', '{}', 'completed', 60, 'now');
             INSERT INTO samples (id, run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 1, 60, 0, 'runs/1/samples/a.txt', 0, 0, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_evaluations').get()).toEqual({ n: 0 });
    db.exec(`INSERT INTO sample_evaluations (sample_id, step, copy_start, copy_end)
               VALUES (1, 60, 2, 9)`);
    expect(() =>
      db.exec(`UPDATE sample_evaluations SET copy_start = 9, copy_end = 2 WHERE sample_id = 1`),
    ).toThrow(/CHECK/);
    db.exec('DELETE FROM samples WHERE id = 1');
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_evaluations').get()).toEqual({ n: 0 });
  });
});
