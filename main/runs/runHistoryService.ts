import { promises as fs } from 'node:fs';
import path from 'node:path';
import type {
  ComparedMetric,
  RunComparison,
  RunDeletion,
  RunSummary,
} from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import { configDiff } from './configDiff';
import { isBetterValue, isRanked } from './metricSummary';
import type { RunRepository } from './runRepository';

export interface RunHistoryDeps {
  dataDir: string;
  runs: RunRepository;
  /** Whether a run is training in this process now (such a run cannot be deleted). */
  isTraining(runId: number): boolean;
}

export const COMPARE_LIMITS = { min: 2, max: 8 };

/**
 * The run history beyond training: names, tags and notes, archiving, deleting (with the files a
 * run wrote under `runs/<id>/`), and comparing runs side by side.
 */
export class RunHistoryService {
  constructor(private readonly deps: RunHistoryDeps) {}

  annotate(
    runId: number,
    change: { name?: string | null; tags?: string[]; notes?: string },
  ): RunSummary {
    this.summary(runId);
    const name = typeof change.name === 'string' ? change.name.trim() || null : change.name;
    const tags =
      change.tags === undefined
        ? undefined
        : [...new Set(change.tags.map((t) => t.trim()).filter((t) => t.length > 0))];
    this.deps.runs.annotate(runId, { name, tags, notes: change.notes });
    return this.summary(runId);
  }

  archive(runIds: readonly number[], archived: boolean): RunSummary[] {
    runIds.forEach((id) => this.summary(id));
    this.deps.runs.setArchived(runIds, archived);
    return runIds.map((id) => this.summary(id));
  }

  /** What deleting the runs would remove: their samples, checkpoints and the bytes on disk. */
  async deletePreview(runIds: readonly number[]): Promise<RunDeletion> {
    const unique = [...new Set(runIds)];
    let sampleCount = 0;
    let checkpointCount = 0;
    let fileCount = 0;
    let bytes = 0;
    for (const runId of unique) {
      const run = this.summary(runId);
      sampleCount += run.sampleCount;
      if (this.deps.runs.checkpointDir(runId)) checkpointCount += 1;
      const usage = await diskUsage(this.runDir(runId));
      fileCount += usage.files;
      bytes += usage.bytes;
    }
    return { runIds: unique, sampleCount, checkpointCount, fileCount, bytes };
  }

  /**
   * Deletes finished runs: the records first (so the history never lists a run whose files are
   * half gone), then the folder of each. A run training now must be stopped first.
   */
  async delete(runIds: readonly number[]): Promise<RunDeletion> {
    const training = runIds.filter((id) => this.deps.isTraining(id));
    if (training.length > 0) {
      throw new StudioFailure(
        'conflict',
        `Run ${training.join(', ')} is training; stop it before deleting it.`,
        { runIds: training },
      );
    }
    const reclaimed = await this.deletePreview(runIds);
    this.deps.runs.remove(reclaimed.runIds);
    for (const runId of reclaimed.runIds) {
      await fs.rm(this.runDir(runId), { recursive: true, force: true });
    }
    return reclaimed;
  }

  compare(runIds: readonly number[]): RunComparison {
    const unique = [...new Set(runIds)];
    if (unique.length < COMPARE_LIMITS.min || unique.length > COMPARE_LIMITS.max) {
      throw new StudioFailure(
        'invalid-input',
        `Compare ${COMPARE_LIMITS.min} to ${COMPARE_LIMITS.max} different runs (got ${unique.length}).`,
      );
    }
    const runs = unique.map((id) => this.summary(id));
    const configs = runs.map((run) => ({
      preset: run.presetId,
      dataset: `${run.datasetName} v${run.versionNumber}`,
      ...this.deps.runs.config(run.id),
    }));
    const stepsWithSamples = runs.map(
      (run) => new Set(this.deps.runs.samples(run.id).map((s) => s.step)),
    );
    const [first, ...rest] = stepsWithSamples;
    const commonSampleSteps = [...(first ?? [])]
      .filter((step) => rest.every((steps) => steps.has(step)))
      .sort((a, b) => a - b);
    return {
      runs,
      metrics: compareMetrics(runs),
      configDiff: configDiff(configs),
      commonSampleSteps,
    };
  }

  private summary(runId: number): RunSummary {
    const run = this.deps.runs.get(runId);
    if (!run) throw notFound(`Run ${runId}`);
    return run;
  }

  private runDir(runId: number): string {
    return path.join(this.deps.dataDir, 'runs', String(runId));
  }
}

/**
 * Every metric any of the runs recorded, with the run whose best value is best marked (the first
 * of equals; none for a schedule such as the learning rate).
 */
export function compareMetrics(runs: readonly RunSummary[]): ComparedMetric[] {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.metricSummary)))].sort();
  return names.map((name) => {
    const values = runs.map((r) => r.metricSummary[name] ?? null);
    const better = values.find((v) => v !== null)?.better ?? 'lower';
    let bestRunId: number | null = null;
    let bestValue = 0;
    values.forEach((v, i) => {
      if (!v || !isRanked(name)) return;
      const wins = bestRunId === null || isBetterValue(better, v.best, bestValue);
      if (wins) {
        bestRunId = runs[i]?.id ?? null;
        bestValue = v.best;
      }
    });
    return { name, better, values, bestRunId };
  });
}

async function diskUsage(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return { files, bytes }; // A run that never wrote anything has no folder.
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await diskUsage(full);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += (await fs.stat(full)).size;
    }
  }
  return { files, bytes };
}
