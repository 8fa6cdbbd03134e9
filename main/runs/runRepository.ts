import type {
  BackendName,
  MetricPoint,
  MetricSummary,
  ModelFamily,
  RunStatus,
  RunSummary,
  SampleProvenance,
  SampleView,
} from '../../preload/contract';
import { nowIso, type Db } from '../db/connection';
import { metricAggregatesSql, summariesByRun, type MetricAggregateRow } from './metricSummary';

interface RunRow {
  id: number;
  dataset_id: number;
  dataset_name: string;
  version_id: number;
  family: ModelFamily;
  preset_id: string;
  status: RunStatus;
  step: number;
  total_steps: number;
  backend: BackendName | null;
  message: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  sample_count: number;
  last_loss: number | null;
  config: string;
  checkpoint_dir: string | null;
  checkpoint_step: number | null;
  checkpoint_at: string | null;
  name: string | null;
  tags: string;
  notes: string;
  archived_at: string | null;
  version_number: number;
  version_audit_score: number | null;
}

/** A `samples` row as stored; the gallery's query extends it with provenance and lineage. */
export interface SampleRow {
  id: number;
  run_id: number;
  kind: 'image' | 'text';
  text: string | null;
  step: number;
  idx: number;
  width: number;
  height: number;
  created_at: string;
  file_path: string;
}

const RUN_SELECT = `
  SELECT r.*, d.name AS dataset_name, v.number AS version_number,
    (SELECT a.score FROM audit_runs a WHERE a.version_id = r.version_id AND a.status = 'completed'
      ORDER BY a.id DESC LIMIT 1) AS version_audit_score,
    (SELECT COUNT(*) FROM samples s WHERE s.run_id = r.id) AS sample_count,
    (SELECT m.value FROM run_metrics m WHERE m.run_id = r.id AND m.name IN ('loss', 'gLoss')
      ORDER BY m.step DESC LIMIT 1) AS last_loss
  FROM runs r JOIN datasets d ON d.id = r.dataset_id JOIN dataset_versions v ON v.id = r.version_id`;

export interface NewRun {
  datasetId: number;
  versionId: number;
  family: ModelFamily;
  presetId: string;
  config: Record<string, unknown>;
  totalSteps: number;
}

export interface NewSample {
  kind: 'image' | 'text';
  text?: string;
  step: number;
  index: number;
  filePath: string;
  width: number;
  height: number;
  /** How it was drawn; a sample without it is stored as a training sample of unknown seed. */
  provenance?: Partial<SampleProvenance>;
}

/** Every SQL statement about runs, their metrics and their samples, prepared once. */
export class RunRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO runs (dataset_id, version_id, family, preset_id, config, status, total_steps,
           created_at)
         VALUES (?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ),
      get: db.prepare(`${RUN_SELECT} WHERE r.id = ?`),
      list: db.prepare(
        `${RUN_SELECT} WHERE (@all OR r.archived_at IS NULL)
           AND (@datasetId IS NULL OR r.dataset_id = @datasetId) ORDER BY r.id DESC`,
      ),
      metricAggregates: db.prepare(metricAggregatesSql(false)),
      metricAggregatesOfRun: db.prepare(metricAggregatesSql(true)),
      annotate: db.prepare(
        `UPDATE runs SET name = COALESCE(@name, name), tags = COALESCE(@tags, tags),
           notes = COALESCE(@notes, notes) WHERE id = @runId`,
      ),
      clearName: db.prepare(`UPDATE runs SET name = NULL WHERE id = ?`),
      archive: db.prepare(`UPDATE runs SET archived_at = ? WHERE id = ?`),
      remove: db.prepare(`DELETE FROM runs WHERE id = ?`),
      // A resumed run's clock goes on from the training time of what it kept (its points up to
      // the checkpoint; restartFromCheckpoint dropped the later ones).
      markStarted: db.prepare(
        `UPDATE runs SET status = 'running', backend = ?, started_at = ?, message = ?,
           trained_ms_before = COALESCE(
             (SELECT MAX(m.elapsed_ms) FROM run_metrics m WHERE m.run_id = runs.id), 0)
         WHERE id = ?`,
      ),
      trainingClock: db.prepare(
        `SELECT status, started_at AS startedAt, trained_ms_before AS before FROM runs WHERE id = ?`,
      ),
      setStep: db.prepare(`UPDATE runs SET step = ? WHERE id = ?`),
      finish: db.prepare(
        `UPDATE runs SET status = ?, step = ?, message = ?, ended_at = ? WHERE id = ?`,
      ),
      interruptUnfinished: db.prepare(
        `UPDATE runs SET status = 'interrupted', ended_at = ?,
           message = 'The studio stopped while this run was in progress.'
         WHERE status IN ('queued', 'running')`,
      ),
      insertMetric: db.prepare(
        `INSERT OR REPLACE INTO run_metrics (run_id, step, name, value, elapsed_ms)
           VALUES (?, ?, ?, ?, ?)`,
      ),
      metrics: db.prepare(
        `SELECT step, name, value, elapsed_ms / 1000.0 AS seconds
         FROM run_metrics WHERE run_id = ? ORDER BY step, name`,
      ),
      insertSample: db.prepare(
        `INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at, kind, text,
           origin, seed, latent_index, class_label, prompt, temperature, top_k, top_p)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      nextSampleIndex: db.prepare(
        `SELECT COALESCE(MAX(idx) + 1, 0) AS next FROM samples WHERE run_id = ? AND step = ?`,
      ),
      setCheckpoint: db.prepare(
        `UPDATE runs SET checkpoint_dir = ?, checkpoint_step = ?, checkpoint_at = ? WHERE id = ?`,
      ),
      restart: db.prepare(
        `UPDATE runs SET status = 'queued', step = ?, total_steps = ?, message = NULL,
           ended_at = NULL
         WHERE id = ?`,
      ),
      samplesAfter: db.prepare(`SELECT file_path FROM samples WHERE run_id = ? AND step > ?`),
      deleteSamplesAfter: db.prepare(`DELETE FROM samples WHERE run_id = ? AND step > ?`),
      deleteMetricsAfter: db.prepare(`DELETE FROM run_metrics WHERE run_id = ? AND step > ?`),
      samplesOfRun: db.prepare(`SELECT * FROM samples WHERE run_id = ? ORDER BY step DESC, idx`),
      allSamples: db.prepare(`SELECT * FROM samples ORDER BY id DESC`),
      sample: db.prepare(`SELECT * FROM samples WHERE id = ?`),
      versionLabels: db.prepare(`SELECT DISTINCT label FROM version_items WHERE version_id = ?`),
    };
  }

  /** Runs left 'running' by a killed process can never finish: say so instead of pretending. */
  interruptUnfinished(): number {
    return this.statements.interruptUnfinished.run(nowIso()).changes;
  }

  create(run: NewRun): number {
    const info = this.statements.insert.run(
      run.datasetId,
      run.versionId,
      run.family,
      run.presetId,
      JSON.stringify(run.config),
      run.totalSteps,
      nowIso(),
    );
    return Number(info.lastInsertRowid);
  }

  get(runId: number): RunSummary | null {
    const row = this.statements.get.get(runId) as RunRow | undefined;
    if (!row) return null;
    const aggregates = this.statements.metricAggregatesOfRun.all(runId) as MetricAggregateRow[];
    return toSummary(row, summariesByRun(aggregates).get(runId) ?? {});
  }

  config(runId: number): Record<string, unknown> {
    const row = this.statements.get.get(runId) as RunRow | undefined;
    return row ? (JSON.parse(row.config) as Record<string, unknown>) : {};
  }

  list(datasetId?: number, includeArchived = false): RunSummary[] {
    const rows = this.statements.list.all({
      all: includeArchived ? 1 : 0,
      datasetId: datasetId ?? null,
    }) as RunRow[];
    const metrics = summariesByRun(this.statements.metricAggregates.all() as MetricAggregateRow[]);
    return rows.map((row) => toSummary(row, metrics.get(row.id) ?? {}));
  }

  /** Sets what is given of a run's name (null clears it), tags and notes. */
  annotate(runId: number, change: { name?: string | null; tags?: string[]; notes?: string }): void {
    this.db.transaction(() => {
      if (change.name === null) this.statements.clearName.run(runId);
      this.statements.annotate.run({
        runId,
        name: change.name ?? null,
        tags: change.tags === undefined ? null : JSON.stringify(change.tags),
        notes: change.notes ?? null,
      });
    })();
  }

  setArchived(runIds: readonly number[], archived: boolean): void {
    const at = archived ? nowIso() : null;
    this.db.transaction(() => runIds.forEach((id) => this.statements.archive.run(at, id)))();
  }

  /** Deletes the runs' records; their metrics and samples go with them (ON DELETE CASCADE). */
  remove(runIds: readonly number[]): void {
    this.db.transaction(() => runIds.forEach((id) => this.statements.remove.run(id)))();
  }

  /** `note`: what a person should know while it trains (e.g. that it has no validation data). */
  markStarted(runId: number, backend: BackendName, note: string | null = null): void {
    this.statements.markStarted.run(backend, nowIso(), note, runId);
  }

  recordProgress(runId: number, step: number, metrics: Record<string, number>): void {
    this.db.transaction(() => {
      const elapsed = this.trainingMs(runId);
      for (const [name, value] of Object.entries(metrics)) {
        if (Number.isFinite(value)) {
          this.statements.insertMetric.run(runId, step, name, value, elapsed);
        }
      }
      this.statements.setStep.run(step, runId);
    })();
  }

  /** Training time of the run so far (ms), or null when it is not training (a later judgement). */
  private trainingMs(runId: number): number | null {
    const clock = this.statements.trainingClock.get(runId) as
      | { status: RunStatus; startedAt: string | null; before: number }
      | undefined;
    if (!clock || clock.status !== 'running' || clock.startedAt === null) return null;
    return clock.before + Math.max(0, Date.now() - Date.parse(clock.startedAt));
  }

  finish(runId: number, status: RunStatus, step: number, message: string | null): void {
    this.statements.finish.run(status, step, message, nowIso(), runId);
  }

  /** A note on a run without changing its state (e.g. why its evaluation did not run). */
  setMessage(runId: number, message: string | null): void {
    this.db.prepare('UPDATE runs SET message = ? WHERE id = ?').run(message, runId);
  }

  metrics(runId: number): MetricPoint[] {
    return this.statements.metrics.all(runId) as MetricPoint[];
  }

  addSamples(runId: number, samples: readonly NewSample[]): number[] {
    return this.db.transaction(() =>
      samples.map((s) =>
        Number(
          this.statements.insertSample.run(
            runId,
            s.step,
            s.index,
            s.filePath,
            s.width,
            s.height,
            nowIso(),
            s.kind,
            s.text ?? null,
            s.provenance?.origin ?? 'training',
            s.provenance?.seed ?? null,
            s.provenance?.latentIndex ?? null,
            s.provenance?.classLabel ?? null,
            s.provenance?.prompt ?? null,
            s.provenance?.temperature ?? null,
            s.provenance?.topK ?? null,
            s.provenance?.topP ?? null,
          ).lastInsertRowid,
        ),
      ),
    )();
  }

  samples(runId?: number): SampleView[] {
    const rows =
      runId === undefined
        ? this.statements.allSamples.all()
        : this.statements.samplesOfRun.all(runId);
    return (rows as SampleRow[]).map(toSampleView);
  }

  /** The first free sample index at a step (samples drawn later join those from training). */
  nextSampleIndex(runId: number, step: number): number {
    return (this.statements.nextSampleIndex.get(runId, step) as { next: number }).next;
  }

  /** Records the newest checkpoint (a path relative to the data dir), its step and time. */
  setCheckpoint(runId: number, relativeDir: string, step: number): void {
    this.statements.setCheckpoint.run(relativeDir, step, nowIso(), runId);
  }

  checkpointDir(runId: number): string | null {
    const row = this.statements.get.get(runId) as RunRow | undefined;
    return row?.checkpoint_dir ?? null;
  }

  /**
   * Puts a run back in the queue to continue from its checkpoint at `checkpointStep` (resume),
   * possibly for longer. What it recorded after that step (samples, metrics: a killed or failed
   * run gets past its checkpoint) is dropped in the same transaction, since training redoes those
   * steps; returns the dropped samples' files (relative to the data dir) for the caller to delete.
   */
  restartFromCheckpoint(runId: number, checkpointStep: number, totalSteps: number): string[] {
    return this.db.transaction(() => {
      const files = (
        this.statements.samplesAfter.all(runId, checkpointStep) as { file_path: string }[]
      ).map((row) => row.file_path);
      this.statements.deleteSamplesAfter.run(runId, checkpointStep);
      this.statements.deleteMetricsAfter.run(runId, checkpointStep);
      this.statements.restart.run(checkpointStep, totalSteps, runId);
      return files;
    })();
  }

  /** The distinct labels of a version's items (a class-conditional model's classes). */
  versionLabels(versionId: number): (string | null)[] {
    return (this.statements.versionLabels.all(versionId) as { label: string | null }[]).map(
      (row) => row.label,
    );
  }

  /** A sample's view and the file it is stored in. */
  sample(sampleId: number): (SampleView & { filePath: string }) | null {
    const row = this.statements.sample.get(sampleId) as SampleRow | undefined;
    return row ? { ...toSampleView(row), filePath: row.file_path } : null;
  }
}

function toSummary(row: RunRow, metricSummary: Record<string, MetricSummary>): RunSummary {
  return {
    id: row.id,
    datasetId: row.dataset_id,
    datasetName: row.dataset_name,
    versionId: row.version_id,
    family: row.family,
    presetId: row.preset_id,
    status: row.status,
    step: row.step,
    totalSteps: row.total_steps,
    backend: row.backend,
    message: row.message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    sampleCount: row.sample_count,
    lastLoss: row.last_loss,
    checkpointStep: row.checkpoint_step,
    checkpointAt: row.checkpoint_at,
    name: row.name,
    tags: JSON.parse(row.tags) as string[],
    notes: row.notes,
    archivedAt: row.archived_at,
    versionNumber: row.version_number,
    versionAuditScore: row.version_audit_score,
    metricSummary,
  };
}

export function toSampleView(row: SampleRow): SampleView {
  return {
    id: row.id,
    runId: row.run_id,
    kind: row.kind,
    text: row.text,
    step: row.step,
    index: row.idx,
    width: row.width,
    height: row.height,
    createdAt: row.created_at,
  };
}
