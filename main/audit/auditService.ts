import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type {
  AuditExport,
  AuditReport,
  AuditSummary,
  VersionQuality,
} from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import { notFound, StudioFailure } from '../common/failure';
import type { Db } from '../db/connection';
import type { BlobStore } from '../store/blobStore';
import { auditDataset } from './auditDataset';
import { AuditRepository } from './auditRepository';
import { FeatureCache } from './featureCache';
import type { LabelClassifier } from './labels/classifier';
import { reportAsCsv, reportAsJson } from './summary';

export interface AuditServiceDeps {
  db: Db;
  blobs: BlobStore;
  events: StudioEventBus;
  /** Trains the label-error classifier: `workerClassifier(mlHost)` in the studio. */
  classifier: LabelClassifier;
}

/** Progress events at most this often per audit. */
const PROGRESS_INTERVAL_MS = 150;

/**
 * Runs audits in the background (one per dataset at a time), pushes `audit:progress`, and
 * answers for stored ones. The work itself is `auditDataset`.
 */
export class AuditService {
  readonly repository: AuditRepository;
  private readonly cache: FeatureCache;
  private readonly running = new Map<
    number,
    { controller: AbortController; done: Promise<AuditSummary>; datasetId: number }
  >();

  constructor(private readonly deps: AuditServiceDeps) {
    this.repository = new AuditRepository(deps.db);
    this.cache = new FeatureCache(deps.db);
    // An audit a killed process left 'running' will never finish: say so.
    this.repository.interruptUnfinished();
  }

  /** Starts an audit of the version (default: the dataset's newest) and returns at once. */
  start(datasetId: number, versionId?: number): AuditSummary {
    if (!this.repository.dataset(datasetId)) throw notFound(`Dataset ${datasetId}`);
    const version = versionId ?? this.repository.latestVersionId(datasetId);
    if (version === null || this.repository.datasetOfVersion(version) !== datasetId) {
      throw new StudioFailure(
        'not-found',
        `Dataset ${datasetId} has no version ${versionId ?? ''}.`.replace(' .', '.'),
      );
    }
    for (const run of this.running.values()) {
      if (run.datasetId === datasetId) {
        throw new StudioFailure(
          'conflict',
          'This dataset is being audited already; wait for it or cancel it.',
        );
      }
    }
    const auditId = this.repository.beginRun(datasetId, version, {});
    const controller = new AbortController();
    let lastEmit = 0;
    let lastPhase = '';
    const emit = (
      status: AuditSummary['status'],
      phase: string,
      done: number,
      total: number,
    ): void => {
      this.deps.events.emit('audit:progress', {
        auditId,
        datasetId,
        versionId: version,
        status,
        phase,
        done,
        total,
      });
    };
    const done = (async () => {
      // Let the caller have its answer before the first heavy step.
      await yieldToEventLoop();
      const summary = await auditDataset(
        {
          repository: this.repository,
          cache: this.cache,
          blobs: this.deps.blobs,
          classifier: this.deps.classifier,
        },
        version,
        { auditId },
        (phase, n, total) => {
          const now = Date.now();
          if (phase !== lastPhase || n >= total || now - lastEmit >= PROGRESS_INTERVAL_MS) {
            lastEmit = now;
            lastPhase = phase;
            emit('running', phase, n, total);
          }
        },
        controller.signal,
      );
      this.running.delete(auditId);
      emit(summary.status, 'finished', summary.itemCount, summary.itemCount);
      return summary;
    })();
    this.running.set(auditId, { controller, done, datasetId });
    return this.summary(auditId);
  }

  /** Asks a running audit to stop; it ends at its next checkpoint (well under a second). */
  async cancel(auditId: number): Promise<AuditSummary> {
    const run = this.running.get(auditId);
    if (!run) return this.summary(auditId);
    run.controller.abort();
    return run.done;
  }

  /** Resolves when the audit is no longer running. */
  async waitFor(auditId: number): Promise<AuditSummary> {
    return this.running.get(auditId)?.done ?? this.summary(auditId);
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.cancel(id)));
  }

  summary(auditId: number): AuditSummary {
    const summary = this.repository.summary(auditId);
    if (!summary) throw notFound(`Audit ${auditId}`);
    return summary;
  }

  get(auditId: number): AuditReport {
    const summary = this.summary(auditId);
    return { summary, findings: this.repository.findings(auditId, summary.versionId) };
  }

  latest(datasetId: number, versionId?: number): AuditReport | null {
    if (!this.repository.dataset(datasetId)) throw notFound(`Dataset ${datasetId}`);
    const summary = this.repository.latestSummary(datasetId, versionId);
    return summary ? this.get(summary.auditId) : null;
  }

  /** The quality of every audited version, oldest first, to compare what fixes changed. */
  history(datasetId: number): VersionQuality[] {
    if (!this.repository.dataset(datasetId)) throw notFound(`Dataset ${datasetId}`);
    return this.repository.history(datasetId);
  }

  export(auditId: number, format: 'json' | 'csv'): AuditExport {
    const report = this.get(auditId);
    const base = `audit-${auditId}-dataset-${report.summary.datasetId}-version-${report.summary.versionId}`;
    return format === 'json'
      ? { fileName: `${base}.json`, mimeType: 'application/json', text: reportAsJson(report) }
      : { fileName: `${base}.csv`, mimeType: 'text/csv', text: reportAsCsv(report) };
  }
}
