import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  AppInfo,
  BackendName,
  BackendReport,
  MediaKind,
  SampleView,
  StudioSettings,
} from '../../preload/contract';
import { openDatabase, type Db } from '../db/connection';
import { DatasetRepository } from '../datasets/datasetRepository';
import { DatasetService } from '../datasets/datasetService';
import { ImportRecords } from '../datasets/import/importRecords';
import { PrepareService } from '../datasets/prepare/prepareService';
import type { TrainingData, TrainingDataOptions } from '../datasets/prepare/trainingData';
import { VersionRepository } from '../datasets/versions/versionRepository';
import { VersionService } from '../datasets/versions/versionService';
import { UploadStaging } from '../datasets/import/uploadStaging';
import { exportSamples, zipPathOf } from '../export/exportSamples';
import { probeDevices } from '../ml/deviceInfo';
import { MlHost } from '../ml/host';
import { RunRepository } from '../runs/runRepository';
import { RunService } from '../runs/runService';
import { AuditFixService, keepChoices } from '../audit/auditFix';
import { AuditService } from '../audit/auditService';
import { workerClassifier } from '../audit/labels/classifier';
import { BlobStore, isSha256 } from '../store/blobStore';
import { ThumbnailStore } from '../store/thumbnails';
import type { CallHandlers } from './dispatch';
import { StudioEventBus } from '../common/events';
import { StudioFailure } from '../common/failure';
import { SettingsStore } from '../settings/settingsStore';
import { STUDIO_VERSION } from '../common/version';

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
  readonly audit: AuditService;
  readonly auditFixes: AuditFixService;
  readonly versions: VersionService;
  readonly prepare: PrepareService;
  readonly ml: MlHost;
  readonly handlers: CallHandlers;
  private readonly runRepository: RunRepository;
  private backendReport: BackendReport | null = null;
  private readonly settings: SettingsStore;

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

    this.settings = new SettingsStore(this.dataDir);
    // A backend named on the command line wins over the saved setting for this process.
    this.ml = new MlHost({
      workerPath: options.workerPath,
      preferBackend: options.preferBackend ?? this.settings.get().preferredBackend ?? undefined,
    });
    this.datasets = new DatasetService({
      repository: datasetRepository,
      records: new ImportRecords(this.db),
      blobs: this.blobs,
      thumbnails: this.thumbnails,
      uploads,
      events: this.events,
    });
    const versionRepository = new VersionRepository(this.db);
    this.versions = new VersionService({
      versions: versionRepository,
      blobs: this.blobs,
      events: this.events,
    });
    this.prepare = new PrepareService({
      versions: versionRepository,
      blobs: this.blobs,
      thumbnails: this.thumbnails,
      cacheDir: path.join(this.dataDir, 'cache'),
    });
    this.runs = new RunService({
      dataDir: this.dataDir,
      runs: this.runRepository,
      datasets: datasetRepository,
      ml: this.ml,
      events: this.events,
      loadTrainingData: (versionId, options) => this.loadTrainingData(versionId, options),
    });
    this.audit = new AuditService({
      db: this.db,
      blobs: this.blobs,
      events: this.events,
      classifier: workerClassifier(this.ml),
    });
    this.auditFixes = AuditFixService.over(this.versions, (auditId) => this.audit.get(auditId));
    this.handlers = this.createHandlers();
  }

  /**
   * A dataset version as a model trains on it: train and validation parts with class indices
   * (images, decoded once then cached under `cache/versions/`) or token ids and the vocabulary
   * (text).
   */
  loadTrainingData(versionId: number, options?: TrainingDataOptions): Promise<TrainingData> {
    return this.prepare.loadTrainingData(versionId, options);
  }

  private async updateSettings(patch: Partial<StudioSettings>): Promise<StudioSettings> {
    const before = this.settings.get();
    if (
      patch.preferredBackend !== undefined &&
      patch.preferredBackend !== before.preferredBackend
    ) {
      if (this.runs.list().some((r) => r.status === 'running' || r.status === 'queued')) {
        throw new StudioFailure(
          'conflict',
          'A run is training; stop it (or wait for it) before switching the ML backend.',
        );
      }
      const saved = await this.settings.update({ preferredBackend: patch.preferredBackend });
      this.backendReport = await this.ml.setPreferredBackend(saved.preferredBackend ?? undefined);
      return saved;
    }
    return this.settings.get();
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
    await this.audit.cancelAll();
    await this.ml.close();
    this.db.close();
  }

  private createHandlers(): CallHandlers {
    return {
      'app:info': () => this.info(),
      'datasets:list': () => this.datasets.list(),
      'datasets:get': ({ datasetId }) => this.datasets.get(datasetId),
      'datasets:importFolder': ({ path: folder, name, importId, ...settings }) =>
        this.datasets.importFolder(folder, { name, importId, settings }),
      'datasets:cancelImport': ({ importId }) => this.datasets.cancelImport(importId),
      'datasets:beginUpload': ({ name }) => this.datasets.beginUpload(name),
      'datasets:finishUpload': ({ uploadId, ...settings }) =>
        this.datasets.finishUpload(uploadId, settings),
      'datasets:browse': (args) => this.versions.browse(args),
      'datasets:itemText': ({ itemId, maxChars }) => this.versions.itemText(itemId, maxChars),
      'datasets:versions': ({ datasetId }) => this.versions.versions(datasetId),
      'datasets:getVersion': ({ versionId }) => this.versions.getVersion(versionId),
      'datasets:editItems': ({ datasetId, baseVersionId, itemIds, edit }) =>
        this.versions.editItems(datasetId, baseVersionId, itemIds, edit),
      'datasets:setPreprocessing': ({ datasetId, baseVersionId, preprocessing }) =>
        this.versions.setPreprocessing(datasetId, baseVersionId, preprocessing),
      'datasets:undo': ({ datasetId, baseVersionId }) =>
        this.versions.undo(datasetId, baseVersionId),
      'datasets:restoreVersion': ({ datasetId, baseVersionId, versionId }) =>
        this.versions.restore(datasetId, baseVersionId, versionId),
      'datasets:compareVersions': ({ fromVersionId, toVersionId }) =>
        this.versions.compare(fromVersionId, toVersionId),
      'datasets:previewPreprocessing': ({ datasetId, preprocessing, itemIds, count }) =>
        this.prepare.preview(datasetId, preprocessing, itemIds, count),
      'datasets:textStats': ({ versionId }) => this.prepare.textStats(versionId),
      'models:presets': () => this.runs.presets(),
      'runs:start': (args) => this.runs.start(args),
      'runs:stop': ({ runId }) => this.runs.stop(runId),
      'runs:resume': ({ runId, steps }) => this.runs.resume(runId, steps),
      'runs:estimate': ({ datasetId, presetId }) => this.runs.estimate(datasetId, presetId),
      'runs:list': ({ datasetId }) => this.runs.list(datasetId),
      'runs:get': ({ runId }) => this.runs.get(runId),
      'samples:list': ({ runId }) => this.samples(runId),
      'samples:generate': (args) => this.runs.generate(args),
      'samples:export': ({ sampleIds, folder }) =>
        exportSamples({ dataDir: this.dataDir, runs: this.runRepository }, sampleIds, folder),
      'ml:backend': () => this.backend(),
      'ml:devices': () => probeDevices(),
      'settings:get': () => this.settings.get(),
      'settings:set': (patch) => this.updateSettings(patch),
      'audit:start': ({ datasetId, versionId }) => this.audit.start(datasetId, versionId),
      'audit:cancel': ({ auditId }) => this.audit.cancel(auditId),
      'audit:get': ({ auditId }) => this.audit.get(auditId),
      'audit:latest': ({ datasetId, versionId }) => this.audit.latest(datasetId, versionId),
      'audit:history': ({ datasetId }) => this.audit.history(datasetId),
      'audit:export': ({ auditId, format }) => this.audit.export(auditId, format),
      'audit:applyFix': ({ auditId, findingIds, rebalance, keep }) =>
        this.auditFixes.applyFix(auditId, findingIds, {
          ...(rebalance ? { rebalance } : {}),
          ...(keep ? { keep: keepChoices(keep) } : {}),
        }),
      'audit:applyAll': ({ auditId, type, minScore, rebalance }) =>
        this.auditFixes.applyAll(auditId, type, minScore, rebalance),
    };
  }
}
