import { existsSync } from 'node:fs';
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
import { datasetHandlers } from '../datasets/handlers';
import { ImportRecords } from '../datasets/import/importRecords';
import { PrepareService } from '../datasets/prepare/prepareService';
import { VersionRepository } from '../datasets/versions/versionRepository';
import { VersionService } from '../datasets/versions/versionService';
import { SyntheticRepository } from '../datasets/versions/syntheticRepository';
import { SyntheticService } from '../datasets/versions/syntheticService';
import { UploadStaging } from '../datasets/import/uploadStaging';
import { zipPathOf } from '../export/exportSamples';
import { reportPathOf } from '../export/reportService';
import { MlHost } from '../ml/host';
import { modelExportHandlers } from '../modelExport/handlers';
import { AlarmRepository } from '../runs/alarmRepository';
import { RunRepository } from '../runs/runRepository';
import { RunService } from '../runs/runService';
import { runHandlers } from '../runs/handlers';
import { EvaluationService, type EvaluationServiceDeps } from '../evaluation/evaluationService';
import { judgeRuns } from '../evaluation/commonJudge';
import { evaluationHandlers } from '../evaluation/handlers';
import { SampleEvidenceRepository } from '../evaluation/sampleEvidence';
import { galleryHandlers } from '../gallery/handlers';
import { SampleGroupQuery } from '../gallery/sampleGroups';
import { SampleGallery } from '../gallery/sampleQuery';
import { AuditFixService } from '../audit/auditFix';
import { auditHandlers } from '../audit/handlers';
import { AuditService } from '../audit/auditService';
import { workerClassifier } from '../audit/labels/classifier';
import { BlobStore, isSha256 } from '../store/blobStore';
import { ThumbnailStore } from '../store/thumbnails';
import type { CallHandlers } from '../common/calls';
import { DataDirLock, type OwnerKind } from '../common/dataDirLock';
import { StudioEventBus } from '../common/events';
import { appHandlers } from '../settings/handlers';
import { prepareDataDir } from '../common/dataDir';
import { SettingsStore } from '../settings/settingsStore';
import { STUDIO_VERSION } from '../common/version';

export interface StudioCoreOptions {
  dataDir: string;
  shell: AppInfo['shell'];
  /** The built ML worker: out/main/mlWorker.js, resolved by each shell's entry bundle. */
  workerPath: string;
  preferBackend?: BackendName;
  /** Named in the data dir's lock (default: desktop for Electron, cli otherwise). */
  owner?: OwnerKind;
  /** Smaller evaluations for tests (sample counts, feature network steps), or none in-run. */
  evaluation?: Partial<
    Pick<
      EvaluationServiceDeps,
      'imageSamples' | 'textSamples' | 'featureNetworkSteps' | 'quickImageSamples' | 'inRun'
    >
  >;
}

/**
 * The studio's core services over one data directory, with no Electron in sight: the desktop
 * app, the headless server and the command line each create one and wrap it.
 */
export class StudioCore {
  readonly dataDir: string;
  /** This process's ownership of the data dir: taken first, released by close(). */
  readonly lock: DataDirLock;
  readonly db: Db;
  readonly events = new StudioEventBus();
  readonly blobs: BlobStore;
  readonly thumbnails: ThumbnailStore;
  readonly datasets: DatasetService;
  readonly runs: RunService;
  readonly evaluation: EvaluationService;
  readonly audit: AuditService;
  readonly auditFixes: AuditFixService;
  readonly versions: VersionService;
  readonly synthetic: SyntheticService;
  readonly prepare: PrepareService;
  readonly ml: MlHost;
  readonly handlers: CallHandlers;
  private readonly runRepository: RunRepository;
  private readonly gallery: SampleGallery;
  private readonly alarmRepository: AlarmRepository;
  private backendReport: BackendReport | null = null;
  private readonly settings: SettingsStore;

  constructor(private readonly options: StudioCoreOptions) {
    this.dataDir = path.resolve(options.dataDir);
    prepareDataDir(this.dataDir);
    // Before anything is read or repaired: the recovery below is only right for the sole owner.
    const owner = options.owner ?? (options.shell === 'electron' ? 'desktop' : 'cli');
    this.lock = DataDirLock.acquire(this.dataDir, owner).lock;
    try {
      this.db = openDatabase(path.join(this.dataDir, 'studio.db'));
    } catch (error) {
      this.lock.release();
      throw error;
    }
    this.blobs = new BlobStore(path.join(this.dataDir, 'blobs'));
    this.thumbnails = new ThumbnailStore(path.join(this.dataDir, 'thumbs'));
    const datasetRepository = new DatasetRepository(this.db);
    const versionRepository = new VersionRepository(this.db);
    const syntheticRepository = new SyntheticRepository(this.db);
    this.runRepository = new RunRepository(this.db);
    this.alarmRepository = new AlarmRepository(this.db);
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
      versions: versionRepository,
      blobs: this.blobs,
      thumbnails: this.thumbnails,
      uploads,
      events: this.events,
    });
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
    this.evaluation = new EvaluationService({
      dataDir: this.dataDir,
      runs: this.runRepository,
      evidence: new SampleEvidenceRepository(this.db),
      ml: this.ml,
      loadTrainingData: (versionId, options) => this.prepare.loadTrainingData(versionId, options),
      itemBlob: (itemId) => versionRepository.item(itemId)?.blobSha ?? null,
      ...options.evaluation,
    });
    this.runs = new RunService({
      dataDir: this.dataDir,
      runs: this.runRepository,
      datasets: datasetRepository,
      ml: this.ml,
      events: this.events,
      prepare: this.prepare,
      alarms: this.alarmRepository,
      evaluateAtEnd: (runId) => this.evaluation.evaluate(runId),
      syntheticPerClass: (versionId) => syntheticRepository.perClass(versionId),
      quickEvaluation: (data) => this.evaluation.quickEvaluationFor(data),
    });
    this.audit = new AuditService({
      db: this.db,
      blobs: this.blobs,
      events: this.events,
      classifier: workerClassifier(this.ml),
    });
    this.auditFixes = AuditFixService.over(this.versions, (auditId) => this.audit.get(auditId));
    this.gallery = new SampleGallery(this.db);
    this.synthetic = new SyntheticService({
      dataDir: this.dataDir,
      versions: versionRepository,
      synthetic: syntheticRepository,
      blobs: this.blobs,
      thumbnails: this.thumbnails,
      events: this.events,
      samples: (ids) => this.gallery.samples(ids),
      summary: (datasetId, versionId) => {
        const summary = this.versions.versions(datasetId).find((v) => v.id === versionId);
        if (!summary) throw new Error(`Version ${versionId} was just written and is not there.`);
        return summary;
      },
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

  /** The file behind an export's download id: a sample export's ZIP or a run report. */
  exportDownload(id: string): { file: string; contentType: string; fileName: string } | null {
    const zip = zipPathOf(this.dataDir, id);
    if (zip && existsSync(zip))
      return { file: zip, contentType: 'application/zip', fileName: `${id}.zip` };
    const report = reportPathOf(this.dataDir, id);
    if (report && existsSync(report)) {
      return { file: report, contentType: 'text/html; charset=utf-8', fileName: `${id}.html` };
    }
    return null;
  }

  async close(): Promise<void> {
    await this.runs.stopAll();
    await this.audit.cancelAll();
    await this.ml.close();
    this.db.close();
    this.lock.release();
  }

  private createHandlers(): CallHandlers {
    // Typed as every call's handlers: a call no domain's slice handles is a compile error here.
    return {
      ...appHandlers({
        info: () => this.info(),
        backend: () => this.backend(),
        settings: this.settings,
        isTraining: () =>
          this.runs.list().some((r) => r.status === 'running' || r.status === 'queued'),
        switchBackend: async (preferred) => {
          this.backendReport = await this.ml.setPreferredBackend(preferred ?? undefined);
        },
      }),
      ...datasetHandlers(this),
      ...runHandlers({
        dataDir: this.dataDir,
        runs: this.runs,
        runRecords: this.runRepository,
        gallery: this.gallery,
        alarms: this.alarmRepository,
        auditHistory: (datasetId) => this.audit.history(datasetId),
        events: this.events,
        latestEvaluation: (runId) => this.evaluation.latest(runId),
        auditFindings: (auditId) => this.audit.get(auditId).findings,
        judgeRuns: (request) =>
          judgeRuns(
            {
              dataDir: this.dataDir,
              runs: this.runRepository,
              ml: this.ml,
              loadTrainingData: (versionId, o) => this.prepare.loadTrainingData(versionId, o),
              ...this.options.evaluation,
            },
            request,
          ),
      }),
      ...evaluationHandlers(this.evaluation),
      ...auditHandlers(this),
      ...galleryHandlers(
        this.gallery,
        new SampleGroupQuery(this.db),
        { dataDir: this.dataDir, db: this.db, blobs: this.blobs },
        this.synthetic,
      ),
      ...modelExportHandlers({
        dataDir: this.dataDir,
        run: (runId) => this.runs.get(runId),
        checkpointDir: (runId) => this.runRepository.checkpointDir(runId),
        bestCheckpoint: (runId) => this.alarmRepository.best(runId),
        datasetFolder: (datasetId) => this.datasets.get(datasetId).sourcePath,
        ml: this.ml,
      }),
    };
  }
}
