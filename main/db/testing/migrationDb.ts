// Shared set-up of the migration tests: a database at the schema just before the migration under
// test, holding one dataset, its first version and one run, the rows most migrations must keep.
import Database from 'better-sqlite3';
import { migrate, MIGRATIONS, type Migration } from '../migrate';

/** An in-memory database migrated up to, but not including, `migration`. */
export function databaseBefore(migration: Migration): Database.Database {
  const index = MIGRATIONS.indexOf(migration);
  if (index < 0) throw new Error(`${migration.name} is not in MIGRATIONS`);
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, index));
  return db;
}

export interface OneRun {
  kind?: 'image' | 'text';
  family?: string;
  presetId?: string;
  status?: string;
  totalSteps?: number;
}

/** Dataset 1 with version 1 and run 1 on it, in the columns every schema since 0005 has. */
export function insertOneRun(db: Database.Database, run: OneRun = {}): void {
  db.prepare(
    `INSERT INTO datasets (id, name, kind, source_path, status, created_at)
       VALUES (1, 'd', ?, '/d', 'ready', 'now')`,
  ).run(run.kind ?? 'image');
  db.exec(`INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now')`);
  db.prepare(
    `INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
       total_steps, created_at)
       VALUES (1, 1, 1, ?, ?, '{}', ?, ?, 'now')`,
  ).run(
    run.family ?? 'conv-vae',
    run.presetId ?? 'conv-vae-tiny',
    run.status ?? 'completed',
    run.totalSteps ?? 60,
  );
}
