import type {
  ClassCount,
  DatasetDetail,
  DatasetKind,
  DatasetSummary,
  ItemPage,
  ItemView,
  SkippedFile,
} from '../../preload/contract';
import { nowIso, type Db } from '../db/connection';

export interface NewItem {
  blobSha: string;
  kind: DatasetKind;
  label: string | null;
  sourcePath: string;
  format: string;
  width: number;
  height: number;
  channels: number;
  byteSize: number;
}

interface DatasetRow {
  id: number;
  name: string;
  kind: DatasetKind;
  source_path: string;
  created_at: string;
  item_count: number;
  class_count: number;
  latest_version_id: number;
}

interface ItemRow {
  id: number;
  label: string | null;
  source_path: string;
  format: string;
  width: number;
  height: number;
  channels: number;
  byte_size: number;
  blob_sha: string;
}

// Counts are those of the newest version: that is the data training would use.
/**
 * How many skipped files (and notes) a dataset's detail lists; the totals say how many there are.
 * A home folder import can skip hundreds of thousands of files, which would be megabytes of JSON.
 */
export const ISSUES_LISTED = 1000;

const SUMMARY_SELECT = `
  SELECT d.id, d.name, d.kind, d.source_path, d.created_at, v.id AS latest_version_id,
    (SELECT COUNT(*) FROM version_items vi WHERE vi.version_id = v.id) AS item_count,
    (SELECT COUNT(DISTINCT vi.label) FROM version_items vi WHERE vi.version_id = v.id) AS class_count
  FROM datasets d
  JOIN dataset_versions v ON v.dataset_id = d.id
    AND v.number = (SELECT MAX(number) FROM dataset_versions WHERE dataset_id = d.id)
  WHERE d.status = 'ready'`;

const ITEM_SELECT = `
  SELECT i.id, vi.label, i.source_path, i.format, i.width, i.height, i.channels, i.byte_size,
    i.blob_sha
  FROM version_items vi JOIN items i ON i.id = vi.item_id
  WHERE vi.version_id = ?`;

/** Every SQL statement about datasets and their items, prepared once; versions it only reads. */
export class DatasetRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insertDataset: db.prepare(
        `INSERT INTO datasets (name, kind, source_path, status, created_at)
         VALUES (?, ?, ?, 'importing', ?)`,
      ),
      markReady: db.prepare(`UPDATE datasets SET status = 'ready' WHERE id = ?`),
      insertItem: db.prepare(
        `INSERT INTO items (dataset_id, blob_sha, kind, label, source_path, format, width, height,
           channels, byte_size)
         VALUES (@datasetId, @blobSha, @kind, @label, @sourcePath, @format, @width, @height,
           @channels, @byteSize)`,
      ),
      insertSkip: db.prepare(
        `INSERT INTO import_skips (dataset_id, source_path, reason) VALUES (?, ?, ?)`,
      ),
      list: db.prepare(`${SUMMARY_SELECT} ORDER BY d.id DESC`),
      get: db.prepare(`${SUMMARY_SELECT} AND d.id = ?`),
      classes: db.prepare(
        `SELECT vi.label AS label, COUNT(*) AS count FROM version_items vi
         WHERE vi.version_id = ? GROUP BY vi.label ORDER BY vi.label IS NULL, vi.label`,
      ),
      // One table holds the import's remarks: files left out, and files taken with a note.
      issues: db.prepare(
        `SELECT source_path, reason FROM import_skips WHERE dataset_id = ? AND outcome = ?
         ORDER BY id LIMIT ?`,
      ),
      issueCount: db.prepare(
        `SELECT COUNT(*) AS n FROM import_skips WHERE dataset_id = ? AND outcome = ?`,
      ),
      versionOf: db.prepare(`SELECT id, dataset_id FROM dataset_versions WHERE id = ?`),
      countItems: db.prepare(`SELECT COUNT(*) AS n FROM version_items WHERE version_id = ?`),
      countItemsOfLabel: db.prepare(
        `SELECT COUNT(*) AS n FROM version_items WHERE version_id = ? AND label IS ?`,
      ),
      pageItems: db.prepare(`${ITEM_SELECT} ORDER BY i.id LIMIT ? OFFSET ?`),
      pageItemsOfLabel: db.prepare(
        `${ITEM_SELECT} AND vi.label IS ? ORDER BY i.id LIMIT ? OFFSET ?`,
      ),
      removeUnfinished: db.prepare(`DELETE FROM datasets WHERE status = 'importing'`),
      remove: db.prepare(`DELETE FROM datasets WHERE id = ?`),
    };
  }

  /** Drops datasets whose import never finished (the process was killed mid-way). */
  removeUnfinishedImports(): number {
    return this.statements.removeUnfinished.run().changes;
  }

  removeDataset(datasetId: number): void {
    this.statements.remove.run(datasetId);
  }

  beginDataset(name: string, kind: DatasetKind, sourcePath: string): number {
    const info = this.statements.insertDataset.run(name, kind, sourcePath, nowIso());
    return Number(info.lastInsertRowid);
  }

  addItems(datasetId: number, items: readonly NewItem[]): void {
    this.db.transaction(() => {
      for (const item of items) this.statements.insertItem.run({ datasetId, ...item });
    })();
  }

  addSkips(datasetId: number, skips: readonly SkippedFile[]): void {
    this.db.transaction(() => {
      for (const s of skips) this.statements.insertSkip.run(datasetId, s.sourcePath, s.reason);
    })();
  }

  /** Makes the dataset visible; the import calls it in the transaction that writes version 1. */
  markReady(datasetId: number): void {
    this.statements.markReady.run(datasetId);
  }

  list(): DatasetSummary[] {
    return (this.statements.list.all() as DatasetRow[]).map(toSummary);
  }

  get(datasetId: number): DatasetDetail | null {
    const row = this.statements.get.get(datasetId) as DatasetRow | undefined;
    if (!row) return null;
    return {
      ...toSummary(row),
      classes: this.statements.classes.all(row.latest_version_id) as ClassCount[],
      skipped: this.issues(datasetId, 'skipped'),
      skippedTotal: this.issueCount(datasetId, 'skipped'),
      notes: this.issues(datasetId, 'imported'),
      notesTotal: this.issueCount(datasetId, 'imported'),
    };
  }

  /** The first ISSUES_LISTED issues: a home folder's thousands of skips are counted, not sent. */
  private issues(datasetId: number, outcome: 'skipped' | 'imported'): SkippedFile[] {
    const rows = this.statements.issues.all(datasetId, outcome, ISSUES_LISTED) as {
      source_path: string;
      reason: string;
    }[];
    return rows.map((s) => ({ sourcePath: s.source_path, reason: s.reason }));
  }

  private issueCount(datasetId: number, outcome: 'skipped' | 'imported'): number {
    return (this.statements.issueCount.get(datasetId, outcome) as { n: number }).n;
  }

  versionBelongsTo(versionId: number, datasetId: number): boolean {
    const row = this.statements.versionOf.get(versionId) as { dataset_id: number } | undefined;
    return row?.dataset_id === datasetId;
  }

  /** A page of a version's items, optionally of one class (null label = unlabeled). */
  items(versionId: number, offset: number, limit: number, label?: string | null): ItemPage {
    const s = this.statements;
    if (label === undefined) {
      const total = (s.countItems.get(versionId) as { n: number }).n;
      const rows = s.pageItems.all(versionId, limit, offset) as ItemRow[];
      return { items: rows.map(toItemView), total };
    }
    const total = (s.countItemsOfLabel.get(versionId, label) as { n: number }).n;
    const rows = s.pageItemsOfLabel.all(versionId, label, limit, offset) as ItemRow[];
    return { items: rows.map(toItemView), total };
  }
}

function toSummary(row: DatasetRow): DatasetSummary {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    sourcePath: row.source_path,
    itemCount: row.item_count,
    classCount: row.class_count,
    createdAt: row.created_at,
    latestVersionId: row.latest_version_id,
  };
}

function toItemView(row: ItemRow): ItemView {
  return {
    id: row.id,
    label: row.label,
    sourcePath: row.source_path,
    format: row.format,
    width: row.width,
    height: row.height,
    channels: row.channels,
    byteSize: row.byte_size,
    blobSha: row.blob_sha,
  };
}
