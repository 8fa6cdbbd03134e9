import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { openDatabase } from './connection';
import { migrate, MIGRATIONS, NewerDatabaseError, SCHEMA_VERSION } from './migrate';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

function tempDbFile(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return path.join(t.dir, 'studio.db');
}

describe('migrations', () => {
  it('creates every table as STRICT with WAL and foreign keys on', () => {
    const db = openDatabase(tempDbFile());
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      // sqlite_sequence is SQLite's own bookkeeping for AUTOINCREMENT, not a studio table.
      .prepare(
        `SELECT name, sql FROM sqlite_master
          WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'audit_features',
      'audit_finding_members',
      'audit_findings',
      'audit_item_scores',
      'audit_runs',
      'dataset_imports',
      'dataset_versions',
      'datasets',
      'import_skips',
      'items',
      'run_alarms',
      'run_best_checkpoints',
      'run_metrics',
      'runs',
      'sample_evaluations',
      'samples',
      'synthetic_items',
      'version_items',
    ]);
    for (const t of tables) expect(t.sql).toMatch(/STRICT/);
    db.close();
  });

  it('0001 rejects a value of the wrong type (STRICT) and a dangling reference (foreign keys)', () => {
    const db = openDatabase(tempDbFile());
    expect(() =>
      db
        .prepare(
          `INSERT INTO datasets (name, kind, source_path, status, created_at) VALUES (?, 'image', '/x', 'ready', ?)`,
        )
        .run(Buffer.from('x'), 'now'),
    ).toThrow(/cannot store BLOB/);
    expect(() =>
      db
        .prepare(
          `INSERT INTO import_skips (dataset_id, source_path, reason) VALUES (999, 'a', 'b')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    db.close();
  });

  it('is idempotent: opening twice applies nothing the second time', () => {
    const file = tempDbFile();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(migrate(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer studio and leaves it untouched', () => {
    const file = tempDbFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 5}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(NewerDatabaseError);
    expect(() => openDatabase(file)).toThrow(/newer Generative Studio/);
    const again = new Database(file);
    expect(again.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length + 5);
    again.close();
  });

  it('rolls back every pending migration when one fails', () => {
    const db = new Database(':memory:');
    const broken = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', up: 'CREATE TABLE oops (' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(
      db.prepare(`SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'datasets'`).get(),
    ).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a migration that leaves a dangling reference, and restores foreign keys', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const dangling = [
      ...MIGRATIONS,
      {
        version: MIGRATIONS.length + 1,
        name: 'dangling',
        up: `INSERT INTO import_skips (dataset_id, source_path, reason) VALUES (404, 'x', 'y')`,
      },
    ];
    expect(() => migrate(db, dangling)).toThrow(/import_skips → datasets.*nothing was changed/);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT COUNT(*) AS n FROM import_skips').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
