import type Database from 'better-sqlite3';
import { foundation } from './migrations/0001-foundation';
import { importRecords } from './migrations/0002-import-records';
import { versionCuration } from './migrations/0003-version-curation';
import { audit } from './migrations/0004-audit';
import { runCheckpoints } from './migrations/0005-run-checkpoints';
import { runCheckpointTime } from './migrations/0006-run-checkpoint-time';

export interface Migration {
  /** Numbered, append-only: a released migration is never edited, a new one is added. */
  version: number;
  name: string;
  up: string;
}

export const MIGRATIONS: readonly Migration[] = [
  foundation,
  importRecords,
  versionCuration,
  audit,
  runCheckpoints,
  runCheckpointTime,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export class NewerDatabaseError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
    path: string,
  ) {
    super(
      `The database at ${path} was written by a newer Generative Studio (schema ${found}; ` +
        `this version knows up to ${known}). Update the studio, or point STUDIO_DATA_DIR at ` +
        `another folder. Nothing was changed.`,
    );
    this.name = 'NewerDatabaseError';
  }
}

/**
 * Applies every migration newer than the database's `user_version`, all in one transaction, so a
 * crash mid-way leaves the previous schema intact.
 */
export function migrate(
  db: Database.Database,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  const known = migrations.length;
  if (current > known) throw new NewerDatabaseError(current, known, db.name);
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`Migration ${m.name} is numbered ${m.version}, expected ${i + 1}`);
  });
  const pending = migrations.slice(current);
  if (pending.length === 0) return current;
  db.transaction(() => {
    for (const m of pending) db.exec(m.up);
    db.pragma(`user_version = ${known}`);
  })();
  return known;
}
