import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ImportReport, SkippedFile } from '../../preload/contract';
import type { BlobStore } from '../store/blobStore';
import type { ThumbnailStore } from '../store/thumbnails';
import type { DatasetRepository, NewItem } from './datasetRepository';
import { inspectImage } from './inspectImage';
import { errorCode, walkFolder, type FoundFile } from './walkFolder';

export interface ImportDeps {
  repository: DatasetRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
}

export interface ImportOptions {
  /** Dataset name; defaults to the folder's name. */
  name?: string;
  /** How the source is shown and stored, when it differs from the folder read (uploads). */
  displayRoot?: string;
  onProgress?: (done: number, total: number, currentPath: string) => void;
  signal?: AbortSignal;
}

/** Files decoded at once: sharp decodes on libvips' own threads, so a few in flight keep them busy. */
const CONCURRENCY = 4;
const BATCH_SIZE = 200;

export class ImportError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid-input' | 'io',
  ) {
    super(message);
  }
}

/**
 * Imports a folder of images as a new dataset: each first-level sub-folder is a class. Every file
 * that cannot be used is recorded with its reason and the import goes on. The dataset only becomes
 * visible once its first version is written, so an interrupted import leaves nothing half-shown.
 */
export async function importImageFolder(
  deps: ImportDeps,
  folder: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat)
    throw new ImportError(`The folder ${root} does not exist or cannot be read.`, 'not-found');
  if (!stat.isDirectory())
    throw new ImportError(`${root} is a file; choose a folder.`, 'invalid-input');

  const displayRoot = options.displayRoot ?? root;
  const shown = (absolutePath: string): string =>
    path.join(displayRoot, path.relative(root, absolutePath));
  const skipped: SkippedFile[] = [];
  const skip = (absolutePath: string, reason: string): void => {
    skipped.push({ sourcePath: shown(absolutePath), reason });
  };

  // Count first so progress has a total; the walk holds one folder listing at a time.
  let total = 0;
  for await (const _ of walkFolder(root, () => undefined)) total++;

  const { repository } = deps;
  const datasetId = repository.beginDataset(
    options.name ?? path.basename(displayRoot),
    'image',
    displayRoot,
  );
  let pending: NewItem[] = [];
  let imported = 0;
  let done = 0;

  const importOne = async (file: FoundFile): Promise<void> => {
    let bytes: Buffer;
    try {
      bytes = await fs.readFile(file.absolutePath);
    } catch (err) {
      skip(file.absolutePath, `cannot be read (${errorCode(err)})`);
      return;
    }
    const inspected = await inspectImage(bytes);
    if (!inspected.ok) {
      skip(file.absolutePath, inspected.reason);
      return;
    }
    const sha = await deps.blobs.put(bytes);
    await deps.thumbnails.ensure(sha, bytes);
    pending.push({
      blobSha: sha,
      kind: 'image',
      label: file.label,
      sourcePath: shown(file.absolutePath),
      byteSize: bytes.length,
      ...inspected.facts,
    });
    imported++;
  };

  const flush = (): void => {
    if (pending.length > 0) repository.addItems(datasetId, pending);
    pending = [];
  };

  const inFlight = new Set<Promise<void>>();
  for await (const file of walkFolder(root, (entry) => skip(entry.absolutePath, entry.reason))) {
    if (options.signal?.aborted) break;
    const job = importOne(file).finally(() => {
      inFlight.delete(job);
      done++;
      options.onProgress?.(done, total, file.relativePath);
    });
    inFlight.add(job);
    if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    if (pending.length >= BATCH_SIZE) flush();
  }
  await Promise.all(inFlight);
  if (options.signal?.aborted) {
    repository.removeDataset(datasetId);
    throw new ImportError('The import was cancelled; nothing was added.', 'invalid-input');
  }
  flush();
  repository.addSkips(datasetId, skipped);
  // A folder with no usable image still becomes a dataset, so its report is kept and shown.
  repository.finishImport(datasetId);
  const dataset = repository.get(datasetId);
  if (!dataset) throw new Error(`Dataset ${datasetId} vanished during import`);
  return { dataset, importedCount: imported, skipped };
}
