import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { importRecords } from './0002-import-records';

function databaseAtFoundation(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, 1));
  db.prepare(
    `INSERT INTO datasets (id, name, kind, source_path, status, created_at)
     VALUES (1, 'old', 'image', '/old', 'ready', 'then')`,
  ).run();
  db.prepare(
    `INSERT INTO import_skips (dataset_id, source_path, reason) VALUES (1, '/old/a.txt', 'x')`,
  ).run();
  return db;
}

describe('migration 0002 import-records', () => {
  it('is number 2 and upgrades a foundation database, keeping old skips as skipped', () => {
    expect(MIGRATIONS[1]).toBe(importRecords);
    const db = databaseAtFoundation();
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare(`SELECT outcome FROM import_skips`).all()).toEqual([{ outcome: 'skipped' }]);
    const indexes = db
      .prepare(
        `SELECT name FROM sqlite_master WHERE type = 'index'
         AND name IN ('items_by_blob', 'version_items_by_item') ORDER BY name`,
      )
      .all();
    expect(indexes).toEqual([{ name: 'items_by_blob' }, { name: 'version_items_by_item' }]);
    db.close();
  });

  it('rejects an unknown outcome and drops the import record with its dataset', () => {
    const db = databaseAtFoundation();
    migrate(db, MIGRATIONS.slice(0, 2));
    expect(() =>
      db
        .prepare(
          `INSERT INTO import_skips (dataset_id, source_path, reason, outcome) VALUES (1, 'a', 'b', 'maybe')`,
        )
        .run(),
    ).toThrow(/CHECK constraint/);
    db.prepare(`INSERT INTO dataset_imports (dataset_id, settings) VALUES (1, '{}')`).run();
    expect(() =>
      db.prepare(`INSERT INTO dataset_imports (dataset_id, settings) VALUES (99, '{}')`).run(),
    ).toThrow(/FOREIGN KEY/);
    db.prepare(`DELETE FROM datasets WHERE id = 1`).run();
    expect(db.prepare(`SELECT COUNT(*) AS n FROM dataset_imports`).get()).toEqual({ n: 0 });
    db.close();
  });
});
