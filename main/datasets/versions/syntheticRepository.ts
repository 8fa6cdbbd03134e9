import type { DatasetKind, SampleOrigin, SyntheticClassSource } from '../../../preload/contract';
import { nowIso, type Db } from '../../db/connection';

/** An item made from a generated sample, as written: its item row and where it came from. */
export interface NewSyntheticItem {
  datasetId: number;
  blobSha: string;
  kind: DatasetKind;
  label: string | null;
  sourcePath: string;
  format: string;
  width: number;
  height: number;
  channels: number;
  byteSize: number;
  provenance: {
    sampleId: number;
    runId: number;
    step: number;
    origin: SampleOrigin;
    seed: number | null;
    latentIndex: number | null;
    classLabel: string | null;
    classSource: SyntheticClassSource;
    prompt: string | null;
    temperature: number | null;
    topK: number | null;
    topP: number | null;
  };
}

/** Every SQL statement about synthetic items (made from samples), prepared once. */
export class SyntheticRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insertItem: db.prepare(
        `INSERT INTO items (dataset_id, blob_sha, kind, label, source_path, format, width, height,
           channels, byte_size)
         VALUES (@datasetId, @blobSha, @kind, @label, @sourcePath, @format, @width, @height,
           @channels, @byteSize)`,
      ),
      insertProvenance: db.prepare(
        `INSERT INTO synthetic_items (item_id, sample_id, run_id, step, origin, seed, latent_index,
           class_label, class_source, prompt, temperature, top_k, top_p, created_at)
         VALUES (@itemId, @sampleId, @runId, @step, @origin, @seed, @latentIndex, @classLabel,
           @classSource, @prompt, @temperature, @topK, @topP, @createdAt)`,
      ),
      itemOfSample: db.prepare(
        `SELECT s.item_id AS itemId FROM synthetic_items s JOIN items i ON i.id = s.item_id
         WHERE i.dataset_id = ? AND s.sample_id = ?`,
      ),
      perClass: db.prepare(
        `SELECT vi.label, COUNT(*) AS count
         FROM version_items vi JOIN synthetic_items s ON s.item_id = vi.item_id
         WHERE vi.version_id = ?
         GROUP BY vi.label ORDER BY vi.label IS NULL, vi.label`,
      ),
      syntheticAmong: db.prepare(
        `SELECT item_id AS itemId FROM synthetic_items
         WHERE item_id IN (SELECT value FROM json_each(?))`,
      ),
    };
  }

  /** Writes the item and its provenance; the caller holds the transaction of the new version. */
  insert(item: NewSyntheticItem): number {
    const { provenance, ...row } = item;
    const info = this.statements.insertItem.run(row);
    const itemId = Number(info.lastInsertRowid);
    this.statements.insertProvenance.run({ itemId, ...provenance, createdAt: nowIso() });
    return itemId;
  }

  /** The item a sample already became in this dataset (it is added once, then included again). */
  itemOfSample(datasetId: number, sampleId: number): number | null {
    const row = this.statements.itemOfSample.get(datasetId, sampleId) as
      { itemId: number } | undefined;
    return row?.itemId ?? null;
  }

  /** How many synthetic items a version holds, per class (its label in the version). */
  perClass(versionId: number): { label: string | null; count: number }[] {
    return this.statements.perClass.all(versionId) as { label: string | null; count: number }[];
  }

  /** Which of these items were made from samples. */
  syntheticAmong(itemIds: readonly number[]): Set<number> {
    if (itemIds.length === 0) return new Set();
    const rows = this.statements.syntheticAmong.all(JSON.stringify(itemIds)) as {
      itemId: number;
    }[];
    return new Set(rows.map((r) => r.itemId));
  }

  /** One write transaction taken up front. */
  writing<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}
