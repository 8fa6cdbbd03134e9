import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { DatasetKind, ImportReport, ImportSettings } from '../../../preload/contract';
import type { BlobStore } from '../../store/blobStore';
import type { ThumbnailStore } from '../../store/thumbnails';
import type { DatasetRepository } from '../datasetRepository';
import type { VersionRepository } from '../versions/versionRepository';
import { fileKindOf } from './fileKinds';
import { finishImport } from './finishImport';
import { importImageFile } from './imageFile';
import { ProgressTracker, type ImportProgressUpdate } from './importProgress';
import { ByteBudget, ImportBatch } from './importBatch';
import type { ImportRecords } from './importRecords';
import type { FileToImport, ImportSink } from './importSink';
import {
  LabelsFileError,
  normalizeRelativePath,
  readLabelsFile,
  resolveLabelsFile,
} from './labelsFile';
import { errorCode, ioFailure, readRegularFile } from './readRegularFile';
import { importTextFile } from './textFile';
import { walkFolder, type FoundFile, type ReadDirectory, type UnreadableEntry } from './walkFolder';
import { WalkOrderSink } from './walkOrderSink';

/** The file-system calls an import makes; tests inject failures, since they run as root. */
export interface ImportFs {
  /** At most `size` bytes: the size `stat` gave, which the memory budget holds. */
  readFile(file: string, size: number): Promise<Buffer>;
  stat(file: string): Promise<{ size: number }>;
  readdir?: ReadDirectory;
}

export interface ImportDeps {
  repository: DatasetRepository;
  records: ImportRecords;
  /** Writes version 1, as it writes every version. */
  versions: VersionRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  fs?: ImportFs;
}

export type { ImportProgressUpdate };

export interface ImportOptions {
  /** Dataset name; defaults to the folder's name. */
  name?: string;
  /** How the source is shown and stored, when it differs from the folder read (uploads). */
  displayRoot?: string;
  settings?: ImportSettings;
  onProgress?: (progress: ImportProgressUpdate) => void;
  signal?: AbortSignal;
}

export class ImportError extends Error {
  constructor(
    message: string,
    readonly code: 'not-found' | 'invalid-input' | 'io' | 'cancelled',
  ) {
    super(message);
  }
}

/**
 * Files read, decoded and stored at once, all from this thread. sharp decodes and encodes on
 * libuv's thread pool, which every worker_thread shares, and this thread only orchestrates: in a
 * CPU profile of a 10,000-PNG import it was idle 64% of the time. Measured on the 2-core machine
 * (shared, so noisy): the thumbnail work alone ran at 1.65–1.8 cores with 8 in flight; the whole
 * import ran at 588–676 files/s in-thread and 513–686 files/s with a 2-worker pool that used 35 MB
 * more. So no pool: `npm run bench:import` prints the cores an import keeps busy.
 */
const CONCURRENCY = 8;
/** Bytes of files held at once across the files in flight. */
const BYTES_IN_FLIGHT = 256 * 1024 * 1024;
/** Larger files are refused before reading: they would not fit in memory with the others. */
const MAX_IMAGE_BYTES = 512 * 1024 * 1024;
const MAX_TEXT_BYTES = 256 * 1024 * 1024;

const nodeFs: ImportFs = { readFile: readRegularFile, stat: (f) => fs.stat(f) };

/**
 * Imports a folder as a new dataset of images or of text. Each first-level sub-folder is a class
 * (or a labels file says). Every file that cannot be used is recorded with its reason and the
 * import goes on. The dataset only becomes visible once its first version is written, so an
 * interrupted import leaves nothing half-shown. Importing the same folder again, unchanged, with
 * the same name and settings, returns the existing dataset and stores nothing new.
 */
export async function importFolder(
  deps: ImportDeps,
  folder: string,
  options: ImportOptions = {},
): Promise<ImportReport> {
  const startedAt = Date.now();
  const root = path.resolve(folder);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat)
    throw new ImportError(`The folder ${root} does not exist or cannot be read.`, 'not-found');
  if (!stat.isDirectory())
    throw new ImportError(`${root} is a file; choose a folder.`, 'invalid-input');
  const io = deps.fs ?? nodeFs;
  const settings = options.settings ?? {};
  const displayRoot = options.displayRoot ?? root;
  const shown = (absolutePath: string): string =>
    path.join(displayRoot, path.relative(root, absolutePath));
  const labelsPath = settings.labelsFile ? resolveLabelsFile(root, settings.labelsFile) : null;
  const labels = labelsPath ? await readLabels(labelsPath) : null;
  const progress = new ProgressTracker(options.onProgress);
  const cancelled = (): boolean => options.signal?.aborted === true;

  // Count first so progress has a total and the kind can follow the majority; the walk holds one
  // folder listing at a time, so neither pass grows with the folder.
  let total = 0;
  let images = 0;
  let texts = 0;
  for await (const file of walkFolder(root, () => undefined, io.readdir)) {
    if (cancelled()) throw cancelledError();
    total++;
    const claimed = fileKindOf(file.relativePath).kind;
    if (claimed === 'image') images++;
    else if (claimed === 'text') texts++;
    progress.counting(total, file.relativePath);
  }
  const kind: DatasetKind = settings.kind ?? (texts > images ? 'text' : 'image');
  const storedSettings = JSON.stringify(
    kind === 'image'
      ? { kind, labelsFile: labelsPath }
      : {
          kind,
          textUnit: settings.textUnit ?? 'file',
          csvColumn: settings.csvColumn ?? null,
          jsonlField: settings.jsonlField ?? 'text',
          labelsFile: labelsPath,
        },
  );
  const name = options.name ?? path.basename(displayRoot);

  const { repository, records } = deps;
  const datasetId = repository.beginDataset(name, kind, displayRoot);
  try {
    records.begin(datasetId, storedSettings);
    const batch = new ImportBatch(repository, records, datasetId);
    const budget = new ByteBudget(BYTES_IN_FLIGHT);
    progress.start(total);

    const importOne = async (file: FoundFile, sink: ImportSink): Promise<void> => {
      const absolute = file.absolutePath;
      if (labelsPath && absolute === labelsPath) {
        sink.skip(shown(absolute), 'the labels file of this import');
        return;
      }
      const claimed = fileKindOf(file.relativePath);
      const shownPath = shown(absolute);
      if (kind === 'image' && claimed.kind === 'text') {
        sink.skip(shownPath, `not an image (a .${claimed.ext} text file; this dataset is images)`);
        return;
      }
      if (kind === 'text' && claimed.kind !== 'text') {
        sink.skip(
          shownPath,
          claimed.kind === 'image'
            ? `an image; this dataset is text`
            : `not a text file the studio reads (${claimed.ext ? `.${claimed.ext}` : 'no extension'}; use .txt, .md, .csv or .jsonl)`,
        );
        return;
      }
      const read = await readWithin(
        io,
        absolute,
        kind === 'image' ? MAX_IMAGE_BYTES : MAX_TEXT_BYTES,
        budget,
      );
      if (typeof read === 'string') {
        sink.skip(shownPath, read);
        return;
      }
      const { bytes, release } = read;
      const relative = normalizeRelativePath(file.relativePath);
      const label = labels
        ? (labels.get(relative) ?? null)
        : (file.label?.normalize('NFC') ?? null);
      const toImport: FileToImport = { shownPath, label, kind: claimed, bytes };
      try {
        if (claimed.kind === 'text') {
          await importTextFile(
            deps.blobs,
            toImport,
            claimed.format,
            {
              textUnit: settings.textUnit ?? 'file',
              csvColumn: settings.csvColumn,
              jsonlField: settings.jsonlField ?? 'text',
            },
            sink,
          );
        } else {
          await importImageFile(deps, toImport, sink);
        }
      } finally {
        release();
      }
    };

    const inWalkOrder = new WalkOrderSink(batch);
    const inFlight = new Set<Promise<void>>();
    let failure: unknown = null;
    const unreadable = (entry: UnreadableEntry): void => {
      const { sink, finish } = inWalkOrder.nextFile();
      sink.skip(shown(entry.absolutePath), entry.reason);
      finish();
    };
    for await (const file of walkFolder(root, unreadable, io.readdir)) {
      if (cancelled() || failure) break;
      const { sink, finish } = inWalkOrder.nextFile();
      const job = importOne(file, sink)
        .catch((err: unknown) => {
          // A store that cannot be written (disk full) ends the import; one bad file does not.
          failure ??= err;
        })
        .finally(() => {
          finish();
          inFlight.delete(job);
          progress.fileDone(file.relativePath, batch.skippedCount);
        });
      inFlight.add(job);
      if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
    if (cancelled()) throw cancelledError();
    batch.flush();

    progress.finishing(batch.skippedCount);
    const fingerprint = records.fingerprint(datasetId);
    const earlier = records.findSameImport({
      excludeDatasetId: datasetId,
      name,
      kind,
      sourcePath: displayRoot,
      settings: storedSettings,
      fingerprint,
    });
    const durationMs = Date.now() - startedAt;
    if (earlier !== null) {
      repository.removeDataset(datasetId);
      return reportOf(deps, earlier, true);
    }
    finishImport(deps, datasetId, { fingerprint, filesSeen: total, durationMs });
    return reportOf(deps, datasetId, false);
  } catch (err) {
    // Leave nothing behind: the 'importing' row would be invisible, but the items take space.
    repository.removeDataset(datasetId);
    throw err;
  }
}

function reportOf(deps: ImportDeps, datasetId: number, alreadyImported: boolean): ImportReport {
  const dataset = deps.repository.get(datasetId);
  if (!dataset) throw new Error(`Dataset ${datasetId} vanished during import`);
  return {
    dataset,
    importedCount: dataset.itemCount,
    skipped: dataset.skipped,
    notes: dataset.notes,
    alreadyImported,
    ...deps.records.stats(datasetId),
  };
}

/** Why a file could not be read; a name that is not UTF-8 reaches Node mangled, so say that. */
function unreadable(file: string, err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT' && file.includes('\uFFFD')) {
    return 'cannot be read: its name is not valid UTF-8 (rename the file)';
  }
  return `cannot be read: ${ioFailure(err)}`;
}

function cancelledError(): ImportError {
  return new ImportError('The import was cancelled; nothing was added.', 'cancelled');
}

async function readLabels(file: string): Promise<Map<string, string | null>> {
  try {
    return await readLabelsFile(file);
  } catch (err) {
    if (err instanceof LabelsFileError) throw new ImportError(err.message, 'invalid-input');
    throw err;
  }
}

/**
 * The file's bytes, or the reason it cannot be used. The size is checked before reading, and the
 * bytes are held against the budget until `release` (a few 400 MB TIFFs or stray videos in flight
 * at once must not exhaust memory).
 */
async function readWithin(
  io: ImportFs,
  file: string,
  maxBytes: number,
  budget: ByteBudget,
): Promise<{ bytes: Buffer; release: () => void } | string> {
  let size: number;
  try {
    size = (await io.stat(file)).size;
  } catch (err) {
    return unreadable(file, err);
  }
  if (size === 0) return 'empty file (0 bytes)';
  if (size > maxBytes) {
    return `file too large (${(size / 1024 / 1024).toFixed(0)} MB, limit ${maxBytes / 1024 / 1024} MB)`;
  }
  const release = await budget.acquire(size);
  try {
    const bytes = await io.readFile(file, size);
    if (bytes.length > 0) return { bytes, release };
    release();
    return 'empty file (0 bytes)';
  } catch (err) {
    release();
    return unreadable(file, err);
  }
}
