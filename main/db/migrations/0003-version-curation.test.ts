import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { parseStoredPreprocessing } from '../../datasets/versions/preprocessing';
import { migrate, MIGRATIONS } from '../migrate';
import { versionCuration } from './0003-version-curation';

/** A database as 0002 left it, with one imported dataset of two items in version 1. */
function databaseBeforeCuration(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 2));
  db.exec(`
    INSERT INTO datasets (id, name, kind, source_path, status, created_at)
      VALUES (1, 'old', 'image', '/old', 'ready', 'then');
    INSERT INTO items (id, dataset_id, blob_sha, kind, label, source_path, format, width, height,
      channels, byte_size)
      VALUES (1, 1, 'a', 'image', 'x', '/old/x/1.png', 'png', 2, 2, 1, 10),
             (2, 1, 'b', 'image', 'y', '/old/y/2.png', 'png', 2, 2, 1, 10);
    INSERT INTO dataset_versions (id, dataset_id, parent_id, number, note, created_at)
      VALUES (1, 1, NULL, 1, 'imported', 'then');
    INSERT INTO version_items (version_id, item_id, label) VALUES (1, 1, 'x'), (1, 2, 'y');
  `);
  return db;
}

describe('migration 0003 version-curation', () => {
  it('is number 3 and keeps old versions meaning what they meant: all train, no validation', () => {
    expect(MIGRATIONS[2]).toBe(versionCuration);
    const db = databaseBeforeCuration();
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(db.pragma('user_version', { simple: true })).toBe(3);
    expect(db.prepare(`SELECT item_id, split FROM version_items ORDER BY item_id`).all()).toEqual([
      { item_id: 1, split: 'train' },
      { item_id: 2, split: 'train' },
    ]);
    const { preprocessing, undo_of_id } = db
      .prepare(`SELECT preprocessing, undo_of_id FROM dataset_versions WHERE id = 1`)
      .get() as { preprocessing: string; undo_of_id: number | null };
    expect(undo_of_id).toBeNull();
    expect(parseStoredPreprocessing(preprocessing).split.validationFraction).toBe(0);
    db.close();
  });

  it('rejects an unknown split and an undo of a version that does not exist', () => {
    const db = databaseBeforeCuration();
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(() =>
      db.prepare(`UPDATE version_items SET split = 'test' WHERE item_id = 1`).run(),
    ).toThrow(/CHECK constraint/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO dataset_versions (dataset_id, parent_id, undo_of_id, number, note, created_at)
           VALUES (1, 1, 99, 2, 'undo', 'now')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
