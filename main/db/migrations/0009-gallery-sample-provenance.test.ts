import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { gallerySampleProvenance } from './0009-gallery-sample-provenance';

describe('0009 gallery sample provenance', () => {
  it('keeps existing samples (provenance unknown, unrated) and refuses a rating it does not know', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, MIGRATIONS.indexOf(gallerySampleProvenance)));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at)
               VALUES (1, 1, 1, 'conv-vae', 'conv-vae-tiny', '{}', 'completed', 60, 'now');
             INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 60, 0, 'runs/1/samples/a.png', 28, 28, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT origin, seed, class_label, rating FROM samples').get()).toEqual({
      origin: 'training',
      seed: null,
      class_label: null,
      rating: null,
    });
    db.prepare(`UPDATE samples SET rating = 'starred'`).run();
    expect(() => db.prepare(`UPDATE samples SET rating = 'loved'`).run()).toThrow(/CHECK/);
  });
});
