import type Database from 'better-sqlite3';
import { foundation } from './migrations/0001-foundation';
import { importRecords } from './migrations/0002-import-records';
import { versionCuration } from './migrations/0003-version-curation';
import { audit } from './migrations/0004-audit';
import { runCheckpoints } from './migrations/0005-run-checkpoints';
import { runCheckpointTime } from './migrations/0006-run-checkpoint-time';
import { autoincrementIds } from './migrations/0007-autoincrement-ids';
import { runHistoryNotes } from './migrations/0008-run-history-notes';
import { gallerySampleProvenance } from './migrations/0009-gallery-sample-provenance';
import { runAlarmsAndBest } from './migrations/0010-run-alarms-and-best';
import { sampleEvaluations } from './migrations/0011-sample-evaluations';
import { syntheticItems } from './migrations/0012-synthetic-items';
import { samplePredictedClass } from './migrations/0013-sample-predicted-class';
import { metricTrainingTime } from './migrations/0014-metric-training-time';

export interface Migration {
  /** Numbered, append-only: a released migration is never edited, a new one is added. */
  version: number;
  name: string;
  /** SQL, or a function for a change that depends on the schema it finds (a table rebuild). */
  up: string | ((db: Database.Database) => void);
}

export const MIGRATIONS: readonly Migration[] = [
  foundation,
  importRecords,
  versionCuration,
  audit,
  runCheckpoints,
  runCheckpointTime,
  autoincrementIds,
  runHistoryNotes,
  gallerySampleProvenance,
  runAlarmsAndBest,
  sampleEvaluations,
  syntheticItems,
  samplePredictedClass,
  metricTrainingTime,
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
 * crash mid-way leaves the previous schema intact. Foreign keys are off while they run (SQLite's
 * procedure for schema changes: dropping a rebuilt table must not cascade into its children) and
 * checked in full before the commit: a migration that would leave a dangling reference changes
 * nothing.
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
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  // Outside the transaction: inside one SQLite ignores this pragma.
  db.pragma('foreign_keys = OFF');
  try {
    db.transaction(() => {
      for (const m of pending) {
        if (typeof m.up === 'string') db.exec(m.up);
        else m.up(db);
      }
      const dangling = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (dangling.length > 0) {
        const first = dangling[0];
        throw new Error(
          `Migrating ${db.name} to schema ${known} would leave ${dangling.length} rows pointing ` +
            `at missing ones (first: ${first?.table} → ${first?.parent}); nothing was changed.`,
        );
      }
      db.pragma(`user_version = ${known}`);
    })();
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
  }
  return known;
}
