import { createHash } from 'node:crypto';
import type { DatasetKind } from '../../../preload/contract';
import type { Db } from '../../db/connection';
import type { ImageFacts } from './inspectImage';

export interface ImportIssue {
  sourcePath: string;
  reason: string;
  /** 'skipped': not in the dataset; 'imported': in it, with a remark. */
  outcome: 'skipped' | 'imported';
}

/** The earlier import an identical one would duplicate. */
export interface SameImportQuery {
  excludeDatasetId: number;
  name: string;
  kind: DatasetKind;
  sourcePath: string;
  settings: string;
  fingerprint: string;
}

/** The import's own records (migration 0002): settings, fingerprint, issues, known blobs. */
export class ImportRecords {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      begin: db.prepare(`INSERT INTO dataset_imports (dataset_id, settings) VALUES (?, ?)`),
      finish: db.prepare(
        `UPDATE dataset_imports SET fingerprint = ?, files_seen = ?, duration_ms = ?
         WHERE dataset_id = ?`,
      ),
      insertIssue: db.prepare(
        `INSERT INTO import_skips (dataset_id, source_path, reason, outcome) VALUES (?, ?, ?, ?)`,
      ),
      knownImage: db.prepare(
        `SELECT format, width, height, channels FROM items
         WHERE blob_sha = ? AND kind = 'image' LIMIT 1`,
      ),
      itemsInPathOrder: db.prepare(
        `SELECT source_path, blob_sha, label FROM items WHERE dataset_id = ? ORDER BY source_path`,
      ),
      findSame: db.prepare(
        `SELECT d.id FROM datasets d JOIN dataset_imports r ON r.dataset_id = d.id
         WHERE d.status = 'ready' AND r.fingerprint = ? AND d.id <> ? AND d.name = ?
           AND d.kind = ? AND d.source_path = ? AND r.settings = ?
         ORDER BY d.id DESC LIMIT 1`,
      ),
      record: db.prepare(
        `SELECT files_seen, duration_ms FROM dataset_imports WHERE dataset_id = ?`,
      ),
    };
  }

  begin(datasetId: number, settings: string): void {
    this.statements.begin.run(datasetId, settings);
  }

  addIssues(datasetId: number, issues: readonly ImportIssue[]): void {
    if (issues.length === 0) return;
    this.db.transaction(() => {
      for (const i of issues)
        this.statements.insertIssue.run(datasetId, i.sourcePath, i.reason, i.outcome);
    })();
  }

  /** An image already imported once needs no second decode: its facts are known. */
  knownImageFacts(sha: string): ImageFacts | null {
    return (this.statements.knownImage.get(sha) as ImageFacts | undefined) ?? null;
  }

  /** SHA-256 over every item's source path, blob and label, read in path order (constant memory). */
  fingerprint(datasetId: number): string {
    const hash = createHash('sha256');
    const rows = this.statements.itemsInPathOrder.iterate(datasetId) as IterableIterator<{
      source_path: string;
      blob_sha: string;
      label: string | null;
    }>;
    for (const row of rows) {
      hash.update(`${row.source_path}\0${row.blob_sha}\0${row.label ?? '\u0001'}\n`);
    }
    return hash.digest('hex');
  }

  findSameImport(query: SameImportQuery): number | null {
    const row = this.statements.findSame.get(
      query.fingerprint,
      query.excludeDatasetId,
      query.name,
      query.kind,
      query.sourcePath,
      query.settings,
    ) as { id: number } | undefined;
    return row?.id ?? null;
  }

  finish(datasetId: number, fingerprint: string, filesSeen: number, durationMs: number): void {
    this.statements.finish.run(fingerprint, filesSeen, durationMs, datasetId);
  }

  /** Files seen and time taken by a dataset's import; zeros for datasets from before 0002. */
  stats(datasetId: number): { filesSeen: number; durationMs: number } {
    const row = this.statements.record.get(datasetId) as
      { files_seen: number; duration_ms: number } | undefined;
    return { filesSeen: row?.files_seen ?? 0, durationMs: row?.duration_ms ?? 0 };
  }

  transaction<T>(body: () => T): T {
    return this.db.transaction(body)();
  }
}
