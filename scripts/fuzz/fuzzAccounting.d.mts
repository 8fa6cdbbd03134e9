// Types for fuzzAccounting.mjs, for the TypeScript test slice (hostileFiles.test.ts).
import type Database from 'better-sqlite3';
import type { CorpusEntry } from './hostileCorpus.mjs';

export type EntryOutcome =
  { status: 'imported' } | { status: 'skipped'; reason: string; at: string } | { status: 'absent' };

export function accountFor(
  folder: string,
  entries: readonly CorpusEntry[],
  itemPaths: readonly string[],
  skipped: readonly { sourcePath: string; reason: string }[],
): { outcomes: EntryOutcome[] };

export function checkDatabase(db: Database.Database, dataDir: string): string[];
