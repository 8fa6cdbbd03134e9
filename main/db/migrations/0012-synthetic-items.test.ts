import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { syntheticItems } from './0012-synthetic-items';

describe('0012 synthetic items', () => {
  it('keeps existing items and records where a synthetic one came from, surviving its sample', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(syntheticItems)));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO items (id, dataset_id, blob_sha, kind, label, source_path, format, width,
               height, channels, byte_size)
               VALUES (1, 1, 'a', 'image', 'x', 'x/1.png', 'png', 8, 8, 1, 10),
                      (2, 1, 'b', 'image', 'x', 'synthetic/run-1/s.png', 'png', 8, 8, 1, 10);
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at)
               VALUES (1, 1, 1, 'conv-vae', 'conv-vae-tiny', '{}', 'completed', 60, 'now');
             INSERT INTO samples (id, run_id, step, idx, file_path, width, height, created_at)
               VALUES (5, 1, 60, 0, 'runs/1/samples/s.png', 8, 8, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 2 });
    db.exec(`INSERT INTO synthetic_items (item_id, sample_id, run_id, step, origin, seed,
               latent_index, class_label, class_source, created_at)
               VALUES (2, 5, 1, 60, 'training', 1, 0, 'x', 'chosen', 'now')`);
    expect(() =>
      db.exec(`INSERT INTO synthetic_items (item_id, run_id, step, origin, class_source, created_at)
                 VALUES (1, 1, 60, 'training', 'guessed', 'now')`),
    ).toThrow(/CHECK/);
    // Deleting the run and its samples keeps the item and its provenance.
    db.exec('DELETE FROM samples; DELETE FROM runs;');
    expect(db.prepare('SELECT sample_id, run_id, step FROM synthetic_items').get()).toEqual({
      sample_id: null,
      run_id: 1,
      step: 60,
    });
    // Deleting the item removes its provenance row.
    db.exec('DELETE FROM items WHERE id = 2');
    expect(db.prepare('SELECT COUNT(*) AS n FROM synthetic_items').get()).toEqual({ n: 0 });
  });
});
