import { randomUUID } from 'node:crypto';
import type {
  DatasetDetail,
  DatasetSummary,
  ImportReport,
  ImportSettings,
} from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import { notFound, StudioFailure } from '../common/failure';
import type { BlobStore } from '../store/blobStore';
import type { ThumbnailStore } from '../store/thumbnails';
import type { DatasetRepository } from './datasetRepository';
import { ImportError, importFolder, type ImportProgressUpdate } from './import/importFolder';
import type { ImportRecords } from './import/importRecords';
import { UploadError, type UploadStaging } from './import/uploadStaging';
import type { VersionRepository } from './versions/versionRepository';

export interface DatasetServiceDeps {
  repository: DatasetRepository;
  records: ImportRecords;
  versions: VersionRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  uploads: UploadStaging;
  events: StudioEventBus;
}

/** Progress events at most this often, so a fast import does not flood the renderer. */
const PROGRESS_INTERVAL_MS = 100;

export class DatasetService {
  /** Imports under way, by their importId, so `datasets:cancelImport` can stop them. */
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly deps: DatasetServiceDeps) {}

  list(): DatasetSummary[] {
    return this.deps.repository.list();
  }

  get(datasetId: number): DatasetDetail {
    const dataset = this.deps.repository.get(datasetId);
    if (!dataset) throw notFound(`Dataset ${datasetId}`);
    return dataset;
  }

  async importFolder(
    folder: string,
    options: {
      name?: string;
      displayRoot?: string;
      importId?: string;
      settings?: ImportSettings;
      onProgress?: (progress: ImportProgressUpdate) => void;
    } = {},
  ): Promise<ImportReport> {
    const importId = options.importId ?? randomUUID();
    if (this.running.has(importId)) {
      throw new StudioFailure('conflict', `The import ${importId} is already running.`);
    }
    const controller = new AbortController();
    this.running.set(importId, controller);
    let lastEmit = 0;
    let lastPhase = '';
    try {
      const report = await importFolder(this.deps, folder, {
        name: options.name,
        displayRoot: options.displayRoot,
        settings: options.settings,
        signal: controller.signal,
        onProgress: (progress) => {
          options.onProgress?.(progress);
          const now = Date.now();
          const last = progress.phase === 'importing' && progress.done === progress.total;
          if (last || progress.phase !== lastPhase || now - lastEmit >= PROGRESS_INTERVAL_MS) {
            lastEmit = now;
            lastPhase = progress.phase;
            this.deps.events.emit('datasets:importProgress', { importId, ...progress });
          }
        },
      });
      if (!report.alreadyImported) {
        this.deps.events.emit('datasets:changed', { datasetId: report.dataset.id });
      }
      return report;
    } catch (err) {
      if (err instanceof ImportError) throw new StudioFailure(err.code, err.message);
      throw err;
    } finally {
      this.running.delete(importId);
    }
  }

  /** Stops an import between two files; it removes what it added and fails as 'cancelled'. */
  cancelImport(importId: string): { cancelled: boolean } {
    const controller = this.running.get(importId);
    controller?.abort();
    return { cancelled: controller !== undefined };
  }

  async beginUpload(name: string): Promise<{ uploadId: string }> {
    return { uploadId: await this.deps.uploads.begin(name) };
  }

  /** The staging file one uploaded file is written to (by the server, streaming). */
  async uploadTarget(uploadId: string, relativePath: string): Promise<string> {
    try {
      return await this.deps.uploads.target(uploadId, relativePath);
    } catch (err) {
      if (err instanceof UploadError) throw new StudioFailure('invalid-input', err.message);
      throw new StudioFailure('io', `Could not store the uploaded file ${relativePath}.`);
    }
  }

  async finishUpload(uploadId: string, settings?: ImportSettings): Promise<ImportReport> {
    let staged;
    try {
      staged = this.deps.uploads.open(uploadId);
    } catch (err) {
      throw new StudioFailure('not-found', (err as Error).message);
    }
    try {
      return await this.importFolder(staged.folder, {
        name: staged.name,
        displayRoot: staged.name,
        importId: uploadId,
        settings,
      });
    } finally {
      await this.deps.uploads.discard(uploadId);
    }
  }
}
