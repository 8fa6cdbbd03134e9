import type {
  AuditSummary,
  ComparedVersion,
  RunComparison,
  RunSummary,
  VersionTrainingComparison,
  VersionMetricChange,
} from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import type { RunService } from './runService';

// "What cleaning bought": the same preset, seed and step budget trained on two versions of a
// dataset, one after the other (two trainings at once would share the 2 cores and the worker),
// so the only thing that differs between the runs is the data. Each run is judged at its end by
// the evaluation wiring (evaluateAtEnd), and its final eval_* and val_* values are set side by
// side with the findings of each version's newest completed audit.

export interface CompareVersionsDeps {
  runs: Pick<RunService, 'start' | 'waitFor' | 'get'>;
  compareRuns: (runIds: number[]) => RunComparison;
  /** The newest completed audit of the version, or null. */
  latestCompletedAudit: (datasetId: number, versionId: number) => AuditSummary | null;
}

export interface CompareVersionsArgs {
  datasetId: number;
  versionIds: [number, number];
  presetId: string;
  steps: number;
}

/** The metrics a version comparison reports: what evaluation and validation measured. */
function isJudgedMetric(name: string): boolean {
  return name.startsWith('eval_') || name.startsWith('val_');
}

function seedOf(config: Record<string, unknown>): number | null {
  const training = config.training as { seed?: unknown } | undefined;
  return typeof training?.seed === 'number' ? training.seed : null;
}

export async function compareVersions(
  deps: CompareVersionsDeps,
  args: CompareVersionsArgs,
): Promise<VersionTrainingComparison> {
  const [a, b] = args.versionIds;
  if (a === b) {
    throw new StudioFailure('invalid-input', 'Choose two different versions to compare.');
  }
  const trained: RunSummary[] = [];
  for (const versionId of args.versionIds) {
    const started = await deps.runs.start({
      datasetId: args.datasetId,
      presetId: args.presetId,
      versionId,
      steps: args.steps,
    });
    const run = await deps.runs.waitFor(started.id);
    if (run.status !== 'completed') {
      throw new StudioFailure(
        'ml',
        `The run on version ${versionId} ended ${run.status}; there is nothing to compare.`,
        { runId: run.id, versionId },
      );
    }
    trained.push(run);
  }
  const comparison = deps.compareRuns(trained.map((r) => r.id));
  const metrics: VersionMetricChange[] = comparison.metrics
    .filter((m) => isJudgedMetric(m.name))
    .map((m) => {
      const valueA = m.values[0]?.final ?? null;
      const valueB = m.values[1]?.final ?? null;
      return {
        name: m.name,
        better: m.better,
        a: valueA,
        b: valueB,
        change: valueA !== null && valueB !== null ? valueB - valueA : null,
      };
    });
  const versions = trained.map((run): ComparedVersion => ({
    versionId: run.versionId,
    run,
    seed: seedOf(deps.runs.get(run.id).config),
    audit: deps.latestCompletedAudit(args.datasetId, run.versionId),
  })) as [ComparedVersion, ComparedVersion];
  return {
    datasetId: args.datasetId,
    presetId: args.presetId,
    steps: args.steps,
    versions,
    metrics,
  };
}
