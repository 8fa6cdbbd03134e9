import type {
  AuditFinding,
  AuditSummary,
  ComparedVersion,
  RunComparison,
  RunSummary,
  VersionTrainingComparison,
  VersionMetricChange,
  MetricDirection,
} from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import type { CommonJudgement, CommonJudgeRequest } from '../evaluation/commonJudge';
import { betterDirection } from './metricSummary';
import { SAMPLE_SHARES, shareChangeError } from './shareChange';
import type { RunService } from './runService';

// "What cleaning bought": the same preset, seed and step budget trained on two versions of a
// dataset, one after the other (two trainings at once would share the 2 cores and the worker),
// so the only thing that differs between the runs is the data. Each run's own end-of-run
// evaluation judges it against its own version, which does not compare across versions; so both
// runs are judged again by ONE judge (main/evaluation/commonJudge.ts: the reference version's
// feature network, validation and training items), and those figures are set side by side with
// the findings of each version's newest completed audit.

export interface CompareVersionsDeps {
  runs: Pick<RunService, 'start' | 'waitFor' | 'get'>;
  compareRuns: (runIds: number[]) => RunComparison;
  /** The newest completed audit of the version, or null. */
  latestCompletedAudit: (datasetId: number, versionId: number) => AuditSummary | null;
  auditFindings: (auditId: number) => AuditFinding[];
  judge: (request: CommonJudgeRequest) => Promise<CommonJudgement>;
}

export interface CompareVersionsArgs {
  datasetId: number;
  versionIds: [number, number];
  presetId: string;
  steps: number;
  seed?: number;
  referenceVersionId?: number;
}

export const DEFAULT_COMPARE_SEED = 1;

/** The metrics a version comparison reports: what evaluation and validation measured. */
function isJudgedMetric(name: string): boolean {
  return name.startsWith('eval_') || name.startsWith('val_');
}

/** Every member of the audit's duplicate groups: the items the version held more than once. */
export function duplicatedItems(findings: readonly AuditFinding[]): number[] {
  return findings
    .filter((f) => f.type === 'exact-duplicate' || f.type === 'near-duplicate')
    .flatMap((f) => f.members.flatMap((m) => (m.itemId === null ? [] : [m.itemId])));
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
  const referenceVersionId = args.referenceVersionId ?? b;
  if (referenceVersionId !== a && referenceVersionId !== b) {
    throw new StudioFailure(
      'invalid-input',
      `The reference version must be one of the two compared (${a} or ${b}).`,
    );
  }
  const seed = args.seed ?? DEFAULT_COMPARE_SEED;
  const trained: RunSummary[] = [];
  for (const versionId of args.versionIds) {
    const started = await deps.runs.start({
      datasetId: args.datasetId,
      presetId: args.presetId,
      versionId,
      steps: args.steps,
      seed,
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
  const ownMetrics: VersionMetricChange[] = comparison.metrics
    .filter((m) => isJudgedMetric(m.name))
    .map((m) => change(m.name, m.better, m.values[0]?.final ?? null, m.values[1]?.final ?? null));
  const versions = trained.map((run): ComparedVersion => ({
    versionId: run.versionId,
    run,
    seed: seedOf(deps.runs.get(run.id).config),
    audit: deps.latestCompletedAudit(args.datasetId, run.versionId),
  })) as [ComparedVersion, ComparedVersion];
  const duplicated = new Set(
    versions.flatMap((v) => (v.audit ? duplicatedItems(deps.auditFindings(v.audit.auditId)) : [])),
  );
  const judged = await deps.judge({
    runIds: trained.map((r) => r.id),
    referenceVersionId,
    duplicatedItemIds: [...duplicated],
  });
  const [figuresA = {}, figuresB = {}] = judged.metrics;
  const [errorsA = {}, errorsB = {}] = judged.errors;
  const names = [...new Set([...Object.keys(figuresA), ...Object.keys(figuresB)])];
  const metrics = names.map((name) => {
    const errorA = errorsA[name];
    const errorB = errorsB[name];
    return change(name, betterDirection(name), figuresA[name] ?? null, figuresB[name] ?? null, {
      sampleCount: judged.info.sampleCount,
      ...(errorA !== undefined && errorB !== undefined ? { errors: [errorA, errorB] } : {}),
    });
  });
  return {
    datasetId: args.datasetId,
    presetId: args.presetId,
    steps: args.steps,
    seed,
    versions,
    judge: judged.info,
    metrics,
    ownMetrics,
  };
}

/**
 * What the judge's own sampling could make of a change: for a share of its samples, the binomial
 * error of two shares of `sampleCount` (shareChange.ts); for FID and KID, the two runs' bootstrap
 * standard errors (bootstrap.ts), which are independent: √(eA² + eB²).
 */
interface ChangeNoise {
  sampleCount?: number;
  errors?: [number, number];
}

function change(
  name: string,
  better: MetricDirection,
  a: number | null,
  b: number | null,
  noise: ChangeNoise = {},
): VersionMetricChange {
  const known = (v: number | null): number | null => (v !== null && Number.isFinite(v) ? v : null);
  const valueA = known(a);
  const valueB = known(b);
  const paired = valueA !== null && valueB !== null;
  return {
    name,
    better,
    a: valueA,
    b: valueB,
    change: paired ? valueB - valueA : null,
    changeError: !paired
      ? null
      : noise.errors !== undefined
        ? Math.hypot(noise.errors[0], noise.errors[1])
        : noise.sampleCount !== undefined && noise.sampleCount > 0 && SAMPLE_SHARES.has(name)
          ? shareChangeError(valueA, valueB, noise.sampleCount)
          : null,
  };
}
