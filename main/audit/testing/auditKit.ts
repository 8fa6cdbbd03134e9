import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import type { AuditFinding, AuditFindingMember, DatasetKind } from '../../../preload/contract';
import { nowIso, openDatabase, type Db } from '../../db/connection';
import { BlobStore } from '../../store/blobStore';
import { outOfFoldProbabilities, OutOfFoldStopped } from '../../ml/worker/audit/outOfFold';
import { useTestBackend } from '../../ml/worker/testing/backend';
import { tempDir } from '../../testing/fixtures';
import type { LabelClassifier } from '../labels/classifier';
import { AuditCancelled, type AuditItem } from '../types';

// Shared by the audit's tests: real digits from the bundled samples, and a data dir whose
// datasets are written straight into the tables (the import engine has its own tests).

const SAMPLES = path.resolve(process.cwd(), 'resources', 'sample-images');

/**
 * The label-error classifier run in the test's own thread: the same code the studio runs in its
 * ML worker (workerClassifier), without a built worker to start.
 */
export const inThreadClassifier: LabelClassifier = async (problem, control) => {
  await useTestBackend('dense');
  try {
    return await outOfFoldProbabilities(problem, {
      onProgress: (done, total) => control.progress('labels', done, total),
      shouldStop: () => control.signal?.aborted === true,
    });
  } catch (error) {
    throw error instanceof OutOfFoldStopped ? new AuditCancelled() : error;
  }
};

/** A bundled MNIST digit's PNG bytes (28×28 grey), e.g. sampleDigit(1, 26). */
export function sampleDigit(label: number, index: number): Buffer {
  return readFileSync(path.join(SAMPLES, String(label), `${String(index).padStart(4, '0')}.png`));
}

export async function digitPixels(label: number, index: number): Promise<Uint8Array> {
  const { data } = await sharp(sampleDigit(label, index))
    .grayscale()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

export function greyPng(pixels: Uint8Array, width: number, height = width): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export function rgbaPng(pixels: Uint8Array, width: number, height = width): Promise<Buffer> {
  return sharp(Buffer.from(pixels), { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

export function shifted(pixels: Uint8Array, side: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(pixels.length);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sx < side && sy >= 0 && sy < side)
        out[y * side + x] = pixels[sy * side + sx] as number;
    }
  }
  return out;
}

export function auditItem(itemId: number, overrides: Partial<AuditItem> = {}): AuditItem {
  return {
    itemId,
    blobSha: `sha-${itemId}`,
    kind: 'image',
    label: null,
    split: 'train',
    sourcePath: `/data/${itemId}.png`,
    format: 'png',
    channels: 1,
    byteSize: 100,
    ...overrides,
  };
}

export interface KitItem {
  bytes: Uint8Array;
  label: string | null;
  name: string;
  split?: 'train' | 'validation';
  kind?: DatasetKind;
  channels?: number;
}

export interface AuditKit {
  dir: string;
  db: Db;
  blobs: BlobStore;
  /** A ready dataset with version 1 holding these items; returns its ids. */
  addDataset(
    items: readonly KitItem[],
    kind?: DatasetKind,
  ): Promise<{ datasetId: number; versionId: number; itemIds: number[] }>;
  /** A new version of the dataset holding the given items (and their labels). */
  addVersion(
    datasetId: number,
    number: number,
    items: readonly { itemId: number; label: string | null }[],
  ): number;
  addItems(datasetId: number, items: readonly KitItem[]): Promise<number[]>;
  close(): Promise<void>;
}

export function auditKit(): AuditKit {
  const { dir, cleanup } = tempDir('studio-audit-');
  const db = openDatabase(path.join(dir, 'studio.db'));
  const blobs = new BlobStore(path.join(dir, 'blobs'));
  const hasSplit = (
    db.prepare(`PRAGMA table_info(version_items)`).all() as { name: string }[]
  ).some((c) => c.name === 'split');
  const addItems = async (datasetId: number, items: readonly KitItem[]): Promise<number[]> => {
    const ids: number[] = [];
    for (const item of items) {
      const sha = await blobs.put(item.bytes);
      const info = db
        .prepare(
          `INSERT INTO items (dataset_id, blob_sha, kind, label, source_path, format, width, height, channels, byte_size)
           VALUES (?, ?, ?, ?, ?, 'png', 28, 28, ?, ?)`,
        )
        .run(
          datasetId,
          sha,
          item.kind ?? 'image',
          item.label,
          path.join('/data', item.name),
          item.channels ?? 1,
          item.bytes.length,
        );
      ids.push(Number(info.lastInsertRowid));
    }
    return ids;
  };
  const addVersion = (
    datasetId: number,
    number: number,
    items: readonly { itemId: number; label: string | null; split?: string }[],
  ): number => {
    const info = db
      .prepare(
        `INSERT INTO dataset_versions (dataset_id, parent_id, number, note, created_at) VALUES (?, NULL, ?, 'test', ?)`,
      )
      .run(datasetId, number, nowIso());
    const versionId = Number(info.lastInsertRowid);
    const insert = hasSplit
      ? db.prepare(
          `INSERT INTO version_items (version_id, item_id, label, split) VALUES (?, ?, ?, ?)`,
        )
      : db.prepare(`INSERT INTO version_items (version_id, item_id, label) VALUES (?, ?, ?)`);
    for (const item of items) {
      if (hasSplit) insert.run(versionId, item.itemId, item.label, item.split ?? 'train');
      else insert.run(versionId, item.itemId, item.label);
    }
    return versionId;
  };
  return {
    dir,
    db,
    blobs,
    addItems,
    addVersion,
    async addDataset(items, kind = 'image') {
      const info = db
        .prepare(
          `INSERT INTO datasets (name, kind, source_path, status, created_at) VALUES ('test', ?, '/data', 'ready', ?)`,
        )
        .run(kind, nowIso());
      const datasetId = Number(info.lastInsertRowid);
      const itemIds = await addItems(datasetId, items);
      const versionId = addVersion(
        datasetId,
        1,
        itemIds.map((itemId, i) => ({
          itemId,
          label: items[i]?.label ?? null,
          split: items[i]?.split ?? 'train',
        })),
      );
      return { datasetId, versionId, itemIds };
    },
    close: async () => {
      db.close();
      await cleanup();
    },
  };
}

/** A stored finding's member, for fix-planning tests. */
export function findingMember(
  itemId: number,
  role: string,
  label: string | null = 'a',
): AuditFindingMember {
  return {
    itemId,
    sourcePath: `/x/${itemId}.png`,
    blobSha: null,
    label,
    split: 'train',
    role,
    synthetic: false,
  };
}

/** A stored finding (an exact-duplicate group unless `overrides` say otherwise). */
export function auditFinding(id: number, overrides: Partial<AuditFinding>): AuditFinding {
  return {
    id,
    type: 'exact-duplicate',
    detail: '',
    severity: 'high',
    score: 1,
    title: `finding ${id}`,
    action: 'keep-one',
    suggestedLabel: null,
    members: [],
    evidence: {},
    confidence: { level: 'high', value: 1, why: 'the files hold the same bytes' },
    ...overrides,
  };
}
