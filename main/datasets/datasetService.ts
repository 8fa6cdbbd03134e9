import { randomUUID } from 'node:crypto';
import type { DatasetDetail, DatasetSummary, ImportReport, ItemPage } from '../../preload/contract';
import type { StudioEventBus } from '../core/eventBus';
import { notFound, StudioFailure } from '../core/failure';
import type { BlobStore } from '../store/blobStore';
import type { ThumbnailStore } from '../store/thumbnails';
import type { DatasetRepository } from './datasetRepository';
import { ImportError, importImageFolder } from './importFolder';
import { UploadError, type UploadStaging } from './uploadStaging';

export interface DatasetServiceDeps {
  repository: DatasetRepository;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  uploads: UploadStaging;
  events: StudioEventBus;
}

/** Progress events at most this often, so a fast import does not flood the renderer. */
const PROGRESS_INTERVAL_MS = 100;

export class DatasetService {
  constructor(private readonly deps: DatasetServiceDeps) {}

  list(): DatasetSummary[] {
    return this.deps.repository.list();
  }

  get(datasetId: number): DatasetDetail {
    const dataset = this.deps.repository.get(datasetId);
    if (!dataset) throw notFound(`Dataset ${datasetId}`);
    return dataset;
  }

  items(datasetId: number, offset: number, limit: number, label?: string | null): ItemPage {
    const dataset = this.get(datasetId);
    return this.deps.repository.items(dataset.latestVersionId, offset, limit, label);
  }

  async importFolder(
    folder: string,
    options: {
      name?: string;
      displayRoot?: string;
      importId?: string;
      onProgress?: (done: number, total: number) => void;
    } = {},
  ): Promise<ImportReport> {
    const importId = options.importId ?? randomUUID();
    let lastEmit = 0;
    try {
      const report = await importImageFolder(this.deps, folder, {
        name: options.name,
        displayRoot: options.displayRoot,
        onProgress: (done, total, currentPath) => {
          options.onProgress?.(done, total);
          const now = Date.now();
          if (done === total || now - lastEmit >= PROGRESS_INTERVAL_MS) {
            lastEmit = now;
            this.deps.events.emit('datasets:importProgress', {
              importId,
              done,
              total,
              currentPath,
            });
          }
        },
      });
      this.deps.events.emit('datasets:changed', { datasetId: report.dataset.id });
      return report;
    } catch (err) {
      if (err instanceof ImportError) throw new StudioFailure(err.code, err.message);
      throw err;
    }
  }

  async beginUpload(name: string): Promise<{ uploadId: string }> {
    return { uploadId: await this.deps.uploads.begin(name) };
  }

  async writeUpload(uploadId: string, relativePath: string, bytes: Uint8Array): Promise<void> {
    try {
      await this.deps.uploads.write(uploadId, relativePath, bytes);
    } catch (err) {
      if (err instanceof UploadError) throw new StudioFailure('invalid-input', err.message);
      throw new StudioFailure('io', `Could not store the uploaded file ${relativePath}.`);
    }
  }

  async finishUpload(uploadId: string): Promise<ImportReport> {
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
      });
    } finally {
      await this.deps.uploads.discard(uploadId);
    }
  }
}
