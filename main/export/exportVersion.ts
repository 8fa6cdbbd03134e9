import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DataSplit, VersionExportResult } from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import { findDataLicense, type DataLicense } from '../datasets/dataLicense';
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
  /** JSON of the synthetic_items row, null for an item that is not generated. */
  synthetic: string | null;
}

/** Where a generated item came from ("generate to augment"), so another trainer can drop it. */
export interface ManifestSynthetic {
  runId: number;
  step: number;
  origin: string;
  seed: number | null;
  latentIndex: number | null;
  classLabel: string | null;
  classSource: 'asked' | 'chosen' | 'unlabeled';
  prompt: string | null;
  temperature: number | null;
  topK: number | null;
  topP: number | null;
}

export interface ManifestItem {
  path: string;
  label: string | null;
  split: DataSplit;
  sha256: string;
  sourcePath: string;
  /** Null for an imported item; the provenance of one made from a generated sample. */
  synthetic: ManifestSynthetic | null;
}

export interface VersionManifest {
  dataset: { id: number; name: string; kind: 'image' | 'text' };
  /** The terms the imported folder declares (LICENSE file or dataset card), null if none. */
  license: DataLicense | null;
  version: { id: number; number: number; note: string; createdAt: string };
  exportedAt: string;
  /** How many of the items are generated (each marked in `items[].synthetic`). */
  syntheticCount: number;
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
 * `items.jsonl`, and `manifest.json` listing each file with its label, split and SHA-256, and
 * for an item made from a generated sample its provenance (so a trainer can leave those out).
 */
export async function exportVersion(
  deps: VersionExportDeps,
  datasetId: number,
  versionNumber: number | undefined,
  folder: string | undefined,
): Promise<VersionExportResult> {
  const dataset = deps.db
    .prepare(
      `SELECT id, name, kind, source_path AS sourcePath FROM datasets
       WHERE id = ? AND status = 'ready'`,
    )
    .get(datasetId) as (VersionManifest['dataset'] & { sourcePath: string }) | undefined;
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
         i.source_path AS sourcePath,
         CASE WHEN si.item_id IS NULL THEN NULL ELSE json_object(
           'runId', si.run_id, 'step', si.step, 'origin', si.origin, 'seed', si.seed,
           'latentIndex', si.latent_index, 'classLabel', si.class_label,
           'classSource', si.class_source, 'prompt', si.prompt, 'temperature', si.temperature,
           'topK', si.top_k, 'topP', si.top_p) END AS synthetic
       FROM version_items vi JOIN items i ON i.id = vi.item_id
       LEFT JOIN synthetic_items si ON si.item_id = vi.item_id
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
    const synthetic =
      row.synthetic === null ? null : (JSON.parse(row.synthetic) as ManifestSynthetic);
    items.push({ ...item, sourcePath: row.sourcePath, synthetic });
    if (row.kind === 'text') jsonl.push(JSON.stringify({ text: bytes.toString('utf8'), ...item }));
  }
  if (jsonl.length > 0) {
    await fs.writeFile(path.join(target, 'items.jsonl'), `${jsonl.join('\n')}\n`);
  }
  const manifest: VersionManifest = {
    dataset: { id: dataset.id, name: dataset.name, kind: dataset.kind },
    license: await findDataLicense(dataset.sourcePath),
    version,
    exportedAt: new Date().toISOString(),
    syntheticCount: items.filter((i) => i.synthetic !== null).length,
    items,
  };
  const manifestPath = path.join(target, 'manifest.json');
  await fs.writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { folder: target, manifestPath, files: items.length };
}
