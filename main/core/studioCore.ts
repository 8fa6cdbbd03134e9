import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  AppInfo,
  BackendName,
  BackendReport,
  MediaKind,
  SampleView,
} from '../../preload/contract';
import { openDatabase, type Db } from '../db/connection';
import { DatasetRepository } from '../datasets/datasetRepository';
import { DatasetService } from '../datasets/datasetService';
import { UploadStaging } from '../datasets/uploadStaging';
import { exportSamples, zipPathOf } from '../export/exportSamples';
import { MlHost } from '../ml/host';
import { RunRepository } from '../runs/runRepository';
import { RunService } from '../runs/runService';
import { BlobStore, isSha256 } from '../store/blobStore';
import { ThumbnailStore } from '../store/thumbnails';
import type { CallHandlers } from './dispatch';
import { StudioEventBus } from './eventBus';
import { STUDIO_VERSION } from './version';

export interface StudioCoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  /** The built ML worker: out/main/mlWorker.js, resolved by each shell's entry bundle. */
  workerPath: string;
  preferBackend?: BackendName;
}

/**
 * The studio's core services over one data directory, with no Electron in sight: the desktop
 * app, the headless server and the command line each create one and wrap it.
 */
export class StudioCore {
  readonly dataDir: string;
  readonly db: Db;
  readonly events = new StudioEventBus();
  readonly blobs: BlobStore;
  readonly thumbnails: ThumbnailStore;
  readonly datasets: DatasetService;
  readonly runs: RunService;
  readonly ml: MlHost;
  readonly handlers: CallHandlers;
  private readonly runRepository: RunRepository;
  private backendReport: BackendReport | null = null;

  constructor(private readonly options: StudioCoreOptions) {
    this.dataDir = path.resolve(options.dataDir);
    mkdirSync(this.dataDir, { recursive: true });
    this.db = openDatabase(path.join(this.dataDir, 'studio.db'));
    this.blobs = new BlobStore(path.join(this.dataDir, 'blobs'));
    this.thumbnails = new ThumbnailStore(path.join(this.dataDir, 'thumbs'));
    const datasetRepository = new DatasetRepository(this.db);
    this.runRepository = new RunRepository(this.db);
    // Whatever a killed process left half-done is made consistent before anything is served.
    datasetRepository.removeUnfinishedImports();
    this.runRepository.interruptUnfinished();
    const uploads = new UploadStaging(path.join(this.dataDir, 'uploads'));
    void uploads.clearAll();

    this.ml = new MlHost({ workerPath: options.workerPath, preferBackend: options.preferBackend });
    this.datasets = new DatasetService({
      repository: datasetRepository,
      blobs: this.blobs,
      thumbnails: this.thumbnails,
      uploads,
      events: this.events,
    });
    this.runs = new RunService({
      dataDir: this.dataDir,
      runs: this.runRepository,
      datasets: datasetRepository,
      blobs: this.blobs,
      ml: this.ml,
      events: this.events,
    });
    this.handlers = this.createHandlers();
  }

  async backend(): Promise<BackendReport> {
    this.backendReport = await this.ml.backend();
    return this.backendReport;
  }

  info(): AppInfo {
    return {
      version: STUDIO_VERSION,
      dataDir: this.dataDir,
      shell: this.options.shell,
      backend: this.backendReport,
    };
  }

  /** The file behind a media URL, or null when there is none (never a path outside the store). */
  mediaPath(kind: MediaKind, id: string): string | null {
    let file: string | null = null;
    if (kind === 'thumb' && isSha256(id)) file = this.thumbnails.pathOf(id);
    else if (kind === 'blob' && isSha256(id)) file = this.blobs.pathOf(id);
    else if (kind === 'sample' && /^\d+$/.test(id)) {
      const sample = this.runRepository.sample(Number(id));
      if (sample) file = path.join(this.dataDir, sample.filePath);
    }
    return file && existsSync(file) ? file : null;
  }

  samples(runId?: number): SampleView[] {
    return this.runRepository.samples(runId);
  }

  exportZipPath(zipId: string): string | null {
    const file = zipPathOf(this.dataDir, zipId);
    return file && existsSync(file) ? file : null;
  }

  async close(): Promise<void> {
    await this.runs.stopAll();
    await this.ml.close();
    this.db.close();
  }

  private createHandlers(): CallHandlers {
    return {
      'app:info': () => this.info(),
      'datasets:list': () => this.datasets.list(),
      'datasets:get': ({ datasetId }) => this.datasets.get(datasetId),
      'datasets:items': ({ datasetId, offset, limit, label }) =>
        this.datasets.items(datasetId, offset, limit, label),
      'datasets:importFolder': ({ path: folder, name, importId }) =>
        this.datasets.importFolder(folder, { name, importId }),
      'datasets:beginUpload': ({ name }) => this.datasets.beginUpload(name),
      'datasets:finishUpload': ({ uploadId }) => this.datasets.finishUpload(uploadId),
      'models:presets': () => this.runs.presets(),
      'runs:start': (args) => this.runs.start(args),
      'runs:stop': ({ runId }) => this.runs.stop(runId),
      'runs:list': ({ datasetId }) => this.runs.list(datasetId),
      'runs:get': ({ runId }) => this.runs.get(runId),
      'samples:list': ({ runId }) => this.samples(runId),
      'samples:export': ({ sampleIds, folder }) =>
        exportSamples({ dataDir: this.dataDir, runs: this.runRepository }, sampleIds, folder),
      'ml:backend': () => this.backend(),
    };
  }
}
