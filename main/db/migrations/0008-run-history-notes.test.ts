import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { runHistoryNotes } from './0008-run-history-notes';

describe('0008 run history notes', () => {
  it('gives existing runs no name, no tags, empty notes and not archived; tags must be JSON', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    const before = MIGRATIONS.indexOf(runHistoryNotes);
    migrate(db, MIGRATIONS.slice(0, before));
    db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
               VALUES (1, 'd', 'image', '/d', 'ready', 'now');
             INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
               VALUES (1, 1, 1, 'imported', 'now');
             INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
               total_steps, created_at) VALUES (1, 1, 1, 'dense-vae', 'vae-tiny', '{}', 'completed', 5, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT name, tags, notes, archived_at FROM runs').get()).toEqual({
      name: null,
      tags: '[]',
      notes: '',
      archived_at: null,
    });
    db.prepare(`UPDATE runs SET name = 'baseline', tags = '["a","b"]', archived_at = 'now'`).run();
    expect(() => db.prepare(`UPDATE runs SET tags = 'not json'`).run()).toThrow(/CHECK/);
  });
});
