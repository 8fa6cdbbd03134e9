import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataSplit, VersionExportResult } from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import type { Db } from '../db/connection';
import type { BlobStore } from '../store/blobStore';
import { exportsRoot } from './exportSamples';

export interface VersionExportDeps {
  dataDir: string;
  db: Db;
  blobs: BlobStore;
}

interface ExportedItemRow {
  itemId: number;
  label: string | null;
  split: DataSplit;
  sha: string;
  kind: 'image' | 'text';
  sourcePath: string;
}

export interface ManifestItem {
  path: string;
  label: string | null;
  split: DataSplit;
  sha256: string;
  sourcePath: string;
}

export interface VersionManifest {
  dataset: { id: number; name: string; kind: 'image' | 'text' };
  version: { id: number; number: number; note: string; createdAt: string };
  exportedAt: string;
  items: ManifestItem[];
}

/** Folder names a label can take on any file system; unlabeled items go to `_unlabeled`. */
export function classFolder(label: string | null): string {
  if (label === null) return '_unlabeled';
  const safe = [...label]
    .map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+$/, '_');
  return safe === '' ? '_empty' : safe;
}

/**
 * A dataset version as a bigger trainer takes it: one folder per class holding the items'
 * original bytes (named `<item id>-<original name>`, so names never collide), texts also as one
 * `items.jsonl`, and `manifest.json` listing each file with its label, split and SHA-256.
 */
export async function exportVersion(
  deps: VersionExportDeps,
  datasetId: number,
  versionNumber: number | undefined,
  folder: string | undefined,
): Promise<VersionExportResult> {
  const dataset = deps.db
    .prepare(`SELECT id, name, kind FROM datasets WHERE id = ? AND status = 'ready'`)
    .get(datasetId) as VersionManifest['dataset'] | undefined;
  if (!dataset) throw notFound(`Dataset ${datasetId}`);
  const version = deps.db
    .prepare(
      `SELECT id, number, note, created_at AS createdAt FROM dataset_versions
       WHERE dataset_id = ? AND (? IS NULL OR number = ?) ORDER BY number DESC LIMIT 1`,
    )
    .get(datasetId, versionNumber ?? null, versionNumber ?? null) as
    VersionManifest['version'] | undefined;
  if (!version) throw notFound(`Version ${versionNumber ?? ''} of dataset "${dataset.name}"`);
  const rows = deps.db
    .prepare(
      `SELECT vi.item_id AS itemId, vi.label, vi.split, i.blob_sha AS sha, i.kind,
         i.source_path AS sourcePath
       FROM version_items vi JOIN items i ON i.id = vi.item_id
       WHERE vi.version_id = ? ORDER BY vi.label, vi.item_id`,
    )
    .all(version.id) as ExportedItemRow[];

  const target = folder?.trim()
    ? path.resolve(folder.trim())
    : path.join(
        exportsRoot(deps.dataDir),
        `dataset-${dataset.id}-v${version.number}-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      );
  const existing = await fs.readdir(target).catch(() => null);
  if (existing && existing.length > 0) {
    throw new StudioFailure('invalid-input', `${target} is not empty; choose a new folder.`);
  }
  await fs.mkdir(target, { recursive: true });

  const items: ManifestItem[] = [];
  const jsonl: string[] = [];
  for (const row of rows) {
    const base = path.basename(row.sourcePath.replace(/\\/g, '/'));
    const extension = path.extname(base) || (row.kind === 'text' ? '.txt' : '');
    const name = `${row.itemId}-${path.basename(base, path.extname(base)) || 'item'}${extension}`;
    const relative = path.posix.join(classFolder(row.label), name);
    const bytes = await deps.blobs.read(row.sha);
    await fs.mkdir(path.join(target, classFolder(row.label)), { recursive: true });
    await fs.writeFile(path.join(target, relative), bytes);
    const item = { path: relative, label: row.label, split: row.split, sha256: row.sha };
    items.push({ ...item, sourcePath: row.sourcePath });
    if (row.kind === 'text') jsonl.push(JSON.stringify({ text: bytes.toString('utf8'), ...item }));
  }
  if (jsonl.length > 0) {
    await fs.writeFile(path.join(target, 'items.jsonl'), `${jsonl.join('\n')}\n`);
  }
  const manifest: VersionManifest = {
    dataset,
    version,
    exportedAt: new Date().toISOString(),
    items,
  };
  const manifestPath = path.join(target, 'manifest.json');
  await fs.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { folder: target, manifestPath, files: items.length };
}
