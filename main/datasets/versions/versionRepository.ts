import type Database from 'better-sqlite3';
import type {
  BrowseItem,
  DataSplit,
  DatasetKind,
  ItemFilter,
  ItemSort,
  VersionClassCount,
} from '../../../preload/contract';
import { nowIso, type Db } from '../../db/connection';
import type { SplitRow, VersionRow } from './split';

export interface VersionRecord {
  id: number;
  datasetId: number;
  number: number;
  parentId: number | null;
  undoOfId: number | null;
  note: string;
  preprocessing: string;
  createdAt: string;
}

export interface VersionCounts {
  itemCount: number;
  trainCount: number;
  validationCount: number;
  syntheticCount: number;
}

export interface BrowseQuery {
  datasetId: number;
  versionId: number;
  offset: number;
  limit: number;
  label?: string | null;
  filter: ItemFilter;
  sort: ItemSort;
  descending: boolean;
}

/** An item of a version as training reads it. */
export interface TrainingItem {
  itemId: number;
  label: string | null;
  split: DataSplit;
  blobSha: string;
  channels: number;
}

interface VersionRowDb {
  id: number;
  dataset_id: number;
  number: number;
  parent_id: number | null;
  undo_of_id: number | null;
  note: string;
  preprocessing: string;
  created_at: string;
}

interface BrowseRowDb {
  id: number;
  kind: DatasetKind;
  label: string | null;
  original_label: string | null;
  included: number;
  split: DataSplit | null;
  source_path: string;
  format: string;
  width: number;
  height: number;
  channels: number;
  byte_size: number;
  blob_sha: string;
}

const VERSION_COLUMNS = `id, dataset_id, number, parent_id, undo_of_id, note, preprocessing,
  created_at`;

// An excluded item has no version row; it shows with the label it had at import.
const EFFECTIVE_LABEL = `CASE WHEN vi.item_id IS NULL THEN i.label ELSE vi.label END`;

const BROWSE_FROM = `
  FROM items i
  LEFT JOIN version_items vi ON vi.version_id = @versionId AND vi.item_id = i.id
  WHERE i.dataset_id = @datasetId`;

const FILTERS: Record<ItemFilter, string> = {
  all: '',
  included: 'AND vi.item_id IS NOT NULL',
  excluded: 'AND vi.item_id IS NULL',
  relabeled: 'AND vi.item_id IS NOT NULL AND vi.label IS NOT i.label',
  train: `AND vi.split = 'train'`,
  validation: `AND vi.split = 'validation'`,
};

const SORTS: Record<ItemSort, string> = {
  path: 'i.source_path',
  label: EFFECTIVE_LABEL,
  pixels: 'i.width * i.height',
  bytes: 'i.byte_size',
  format: 'i.format',
  imported: 'i.id',
};

function toRecord(row: VersionRowDb): VersionRecord {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    number: row.number,
    parentId: row.parent_id,
    undoOfId: row.undo_of_id,
    note: row.note,
    preprocessing: row.preprocessing,
    createdAt: row.created_at,
  };
}

/** Every SQL statement about versions and their items; browse statements are built per shape. */
export class VersionRepository {
  private readonly statements;
  private readonly browseStatements = new Map<string, Database.Statement>();

  constructor(private readonly db: Db) {
    this.statements = {
      datasetKind: db.prepare(`SELECT kind FROM datasets WHERE id = ? AND status = 'ready'`),
      version: db.prepare(`SELECT ${VERSION_COLUMNS} FROM dataset_versions WHERE id = ?`),
      versions: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM dataset_versions WHERE dataset_id = ? ORDER BY number DESC`,
      ),
      latest: db.prepare(
        `SELECT ${VERSION_COLUMNS} FROM dataset_versions WHERE dataset_id = ?
         ORDER BY number DESC LIMIT 1`,
      ),
      counts: db.prepare(
        `SELECT COUNT(*) AS itemCount,
           COALESCE(SUM(vi.split = 'train'), 0) AS trainCount,
           COALESCE(SUM(vi.split = 'validation'), 0) AS validationCount,
           COALESCE(SUM(s.item_id IS NOT NULL), 0) AS syntheticCount
         FROM version_items vi LEFT JOIN synthetic_items s ON s.item_id = vi.item_id
         WHERE vi.version_id = ?`,
      ),
      rows: db.prepare(
        `SELECT item_id AS itemId, label, split FROM version_items WHERE version_id = ?
         ORDER BY item_id`,
      ),
      insertVersion: db.prepare(
        `INSERT INTO dataset_versions
           (dataset_id, parent_id, undo_of_id, number, note, preprocessing, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertRow: db.prepare(
        `INSERT INTO version_items (version_id, item_id, label, split) VALUES (?, ?, ?, ?)`,
      ),
      classes: db.prepare(
        `SELECT vi.label, COUNT(*) AS count,
           SUM(vi.split = 'train') AS train, SUM(vi.split = 'validation') AS validation,
           SUM(s.item_id IS NOT NULL) AS synthetic
         FROM version_items vi LEFT JOIN synthetic_items s ON s.item_id = vi.item_id
         WHERE vi.version_id = ?
         GROUP BY vi.label ORDER BY vi.label IS NULL, vi.label`,
      ),
      labels: db.prepare(
        `SELECT label FROM (
           SELECT label FROM items WHERE dataset_id = ?
           UNION SELECT label FROM version_items WHERE version_id = ?
         ) ORDER BY label IS NULL, label`,
      ),
      datasetItemIds: db.prepare(`SELECT id FROM items WHERE dataset_id = ?`),
      syntheticItemIds: db.prepare(
        `SELECT s.item_id AS id FROM synthetic_items s JOIN items i ON i.id = s.item_id
         WHERE i.dataset_id = ?`,
      ),
      importedItems: db.prepare(
        `SELECT id AS itemId, label FROM items WHERE dataset_id = ? ORDER BY id`,
      ),
      // The newest label each item had in any version of its dataset (for including it again).
      lastLabels: db.prepare(
        `SELECT vi.item_id AS itemId, vi.label AS label
         FROM version_items vi JOIN dataset_versions v ON v.id = vi.version_id
         WHERE v.dataset_id = ? AND vi.item_id IN (SELECT value FROM json_each(?))
         ORDER BY v.number DESC`,
      ),
      importLabels: db.prepare(
        `SELECT id AS itemId, label FROM items
         WHERE dataset_id = ? AND id IN (SELECT value FROM json_each(?))`,
      ),
      itemsByIds: db.prepare(
        `SELECT id, label, blob_sha FROM items
         WHERE dataset_id = ? AND id IN (SELECT value FROM json_each(?)) ORDER BY id`,
      ),
      item: db.prepare(`SELECT i.id, i.kind, i.blob_sha AS blobSha FROM items i WHERE i.id = ?`),
      channelsIn: db.prepare(
        `SELECT DISTINCT i.channels FROM version_items vi JOIN items i ON i.id = vi.item_id
         WHERE vi.version_id = ?`,
      ),
      trainingItems: db.prepare(
        `SELECT vi.item_id AS itemId, vi.label, vi.split, i.blob_sha AS blobSha, i.channels
         FROM version_items vi JOIN items i ON i.id = vi.item_id
         WHERE vi.version_id = ?
         ORDER BY vi.split = 'validation', vi.item_id`,
      ),
      realTrainingItems: db.prepare(
        `SELECT vi.item_id AS itemId, vi.label, vi.split, i.blob_sha AS blobSha, i.channels
         FROM version_items vi JOIN items i ON i.id = vi.item_id
         WHERE vi.version_id = ?
           AND NOT EXISTS (SELECT 1 FROM synthetic_items s WHERE s.item_id = vi.item_id)
         ORDER BY vi.split = 'validation', vi.item_id`,
      ),
    };
  }

  datasetKind(datasetId: number): DatasetKind | null {
    const row = this.statements.datasetKind.get(datasetId) as { kind: DatasetKind } | undefined;
    return row?.kind ?? null;
  }

  version(versionId: number): VersionRecord | null {
    const row = this.statements.version.get(versionId) as VersionRowDb | undefined;
    return row ? toRecord(row) : null;
  }

  /** Newest first. */
  versions(datasetId: number): VersionRecord[] {
    return (this.statements.versions.all(datasetId) as VersionRowDb[]).map(toRecord);
  }

  latest(datasetId: number): VersionRecord | null {
    const row = this.statements.latest.get(datasetId) as VersionRowDb | undefined;
    return row ? toRecord(row) : null;
  }

  counts(versionId: number): VersionCounts {
    return this.statements.counts.get(versionId) as VersionCounts;
  }

  rows(versionId: number): SplitRow[] {
    return this.statements.rows.all(versionId) as SplitRow[];
  }

  classes(versionId: number): VersionClassCount[] {
    return this.statements.classes.all(versionId) as VersionClassCount[];
  }

  labels(datasetId: number, versionId: number): (string | null)[] {
    return (this.statements.labels.all(datasetId, versionId) as { label: string | null }[]).map(
      (r) => r.label,
    );
  }

  datasetItemIds(datasetId: number): Set<number> {
    const rows = this.statements.datasetItemIds.all(datasetId) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  /** The items of a dataset made from generated samples. */
  syntheticItemIds(datasetId: number): Set<number> {
    const rows = this.statements.syntheticItemIds.all(datasetId) as { id: number }[];
    return new Set(rows.map((r) => r.id));
  }

  /** Every item of a dataset with the label the import gave it, in import order. */
  importedItems(datasetId: number): VersionRow[] {
    return this.statements.importedItems.all(datasetId) as VersionRow[];
  }

  /** The label each item last had in a version, else the one the import gave it. */
  lastLabels(datasetId: number, itemIds: readonly number[]): Map<number, string | null> {
    const ids = JSON.stringify(itemIds);
    const labels = new Map<number, string | null>();
    type Row = { itemId: number; label: string | null };
    for (const row of this.statements.lastLabels.all(datasetId, ids) as Row[]) {
      if (!labels.has(row.itemId)) labels.set(row.itemId, row.label);
    }
    for (const row of this.statements.importLabels.all(datasetId, ids) as Row[]) {
      if (!labels.has(row.itemId)) labels.set(row.itemId, row.label);
    }
    return labels;
  }

  /** Items of a dataset by id, with the label the import gave them. */
  itemsByIds(
    datasetId: number,
    itemIds: readonly number[],
  ): { id: number; label: string | null; blob_sha: string }[] {
    return this.statements.itemsByIds.all(datasetId, JSON.stringify(itemIds)) as {
      id: number;
      label: string | null;
      blob_sha: string;
    }[];
  }

  item(itemId: number): { id: number; kind: DatasetKind; blobSha: string } | null {
    return (
      (this.statements.item.get(itemId) as
        { id: number; kind: DatasetKind; blobSha: string } | undefined) ?? null
    );
  }

  /** The distinct channel counts among a version's items. */
  channelsIn(versionId: number): number[] {
    return (this.statements.channelsIn.all(versionId) as { channels: number }[]).map(
      (r) => r.channels,
    );
  }

  /**
   * A version's items, train first, then validation, each in item order; without the items made
   * from generated samples when `includeSynthetic` is false (a run that trains on real data only).
   */
  trainingItems(versionId: number, includeSynthetic = true): TrainingItem[] {
    const statement = includeSynthetic
      ? this.statements.trainingItems
      : this.statements.realTrainingItems;
    return statement.all(versionId) as TrainingItem[];
  }

  /** Writes a whole version at once; the caller holds the transaction that checked the parent. */
  insertVersion(
    version: Omit<VersionRecord, 'id' | 'createdAt'>,
    rows: readonly SplitRow[],
  ): number {
    const info = this.statements.insertVersion.run(
      version.datasetId,
      version.parentId,
      version.undoOfId,
      version.number,
      version.note,
      version.preprocessing,
      nowIso(),
    );
    const versionId = Number(info.lastInsertRowid);
    for (const row of rows)
      this.statements.insertRow.run(versionId, row.itemId, row.label, row.split);
    return versionId;
  }

  /** Runs `work` in one write transaction taken up front, so no one else writes in between. */
  writing<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  browse(query: BrowseQuery): { rows: BrowseRowDb[]; total: number } {
    const withLabel = query.label !== undefined;
    const where = `${BROWSE_FROM} ${FILTERS[query.filter]}
      ${withLabel ? `AND (${EFFECTIVE_LABEL}) IS @label` : ''}`;
    const dir = query.descending ? 'DESC' : 'ASC';
    const count = this.browseStatement(
      `count|${query.filter}|${withLabel}`,
      () => `SELECT COUNT(*) AS n ${where}`,
    );
    const page = this.browseStatement(
      `page|${query.filter}|${withLabel}|${query.sort}|${dir}`,
      () => `SELECT i.id, i.kind, ${EFFECTIVE_LABEL} AS label, i.label AS original_label,
          vi.item_id IS NOT NULL AS included, vi.split, i.source_path, i.format, i.width,
          i.height, i.channels, i.byte_size, i.blob_sha
        ${where}
        ORDER BY ${SORTS[query.sort]} ${dir}, i.source_path ${dir}, i.id ${dir}
        LIMIT @limit OFFSET @offset`,
    );
    const params = {
      datasetId: query.datasetId,
      versionId: query.versionId,
      ...(withLabel ? { label: query.label } : {}),
    };
    const total = (count.get(params) as { n: number }).n;
    const rows = page.all({ ...params, limit: query.limit, offset: query.offset }) as BrowseRowDb[];
    return { rows, total };
  }

  // Browse statements come in a few dozen shapes; each is prepared the first time it is used.
  private browseStatement(key: string, sql: () => string): Database.Statement {
    let statement = this.browseStatements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.browseStatements.set(key, statement);
    }
    return statement;
  }
}

export function toBrowseItem(row: BrowseRowDb, preview: string | null): BrowseItem {
  return {
    id: row.id,
    kind: row.kind,
    label: row.label,
    originalLabel: row.original_label,
    included: row.included === 1,
    split: row.split,
    sourcePath: row.source_path,
    format: row.format,
    width: row.width,
    height: row.height,
    channels: row.channels,
    byteSize: row.byte_size,
    blobSha: row.blob_sha,
    preview,
  };
}

export type { BrowseRowDb };
