import type { Command } from 'commander';
import type {
  ComparedVersion,
  VersionMetricChange,
  VersionTrainingComparison,
} from '../../../preload/contract';
import { call, CliFailure, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { directionLabel } from '../../runs/metricSummary';

// `studio compare-versions --dataset 1 --versions 1,2 --model conv-vae-tiny --steps 30`: what
// cleaning bought, through the same runs:compareVersions call as the app: the preset trained
// with the same seed and steps on both versions, both judged by one judge (the reference
// version's), their figures side by side and each version's findings.

function wholeNumber(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || text.trim() === '') {
    throw new CliFailure(
      { code: 'invalid-input', message: `--seed takes a whole number (got "${text}").` },
      EXIT.usage,
    );
  }
  return n;
}

function versionPair(text: string): [number, number] {
  const ids = text.split(',').map((part) => Number(part.trim()));
  const [a, b] = ids;
  if (
    ids.length !== 2 ||
    a === undefined ||
    b === undefined ||
    ids.some((n) => !(n > 0 && Number.isInteger(n)))
  ) {
    throw new CliFailure(
      {
        code: 'invalid-input',
        message: `--versions takes two version ids separated by a comma, e.g. 1,2 (got "${text}").`,
      },
      EXIT.usage,
    );
  }
  return [a, b];
}

export function registerCompareVersions(program: Command, ctx: CliContext): void {
  program
    .command('compare-versions')
    .description('train a preset on two versions of a dataset and compare their metrics')
    .requiredOption('--dataset <id>', 'dataset id', positiveInt)
    .requiredOption('--versions <a,b>', 'two version ids separated by a comma', versionPair)
    .requiredOption('--model <preset>', 'model preset id (see `studio presets`)')
    .requiredOption('--steps <n>', 'training steps for each run', positiveInt)
    .option('--seed <n>', 'training seed of both runs (default 1)', wholeNumber)
    .option(
      '--reference <id>',
      'the version whose feature network and items judge both runs (default the second)',
      positiveInt,
    )
    .option('--json', 'print the comparison as JSON')
    .action(
      (opts: {
        dataset: number;
        versions: [number, number];
        model: string;
        steps: number;
        seed?: number;
        reference?: number;
        json?: boolean;
      }) =>
        withCore(ctx, async (core) => {
          const comparison = await call(core, 'runs:compareVersions', {
            datasetId: opts.dataset,
            versionIds: opts.versions,
            presetId: opts.model,
            steps: opts.steps,
            ...(opts.seed === undefined ? {} : { seed: opts.seed }),
            ...(opts.reference === undefined ? {} : { referenceVersionId: opts.reference }),
          });
          print(Boolean(opts.json), comparison, () => describeVersionComparison(comparison));
        }),
    );
}

function formatNumber(value: number | null, signed = false): string {
  if (value === null) return '-';
  const text = Number.isInteger(value) ? String(value) : value.toPrecision(4);
  return signed && value > 0 ? `+${text}` : text;
}

function table(rows: string[][]): string {
  const widths =
    rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function describeFindings(version: ComparedVersion): string {
  const title = `version ${version.versionId} (run ${version.run.id})`;
  const audit = version.audit;
  if (!audit) return `${title}: not audited (run \`studio audit\` on it)`;
  const counts = Object.entries(audit.counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([type, n]) => `${type} ${n}`);
  return `${title}: quality ${formatNumber(audit.score)}, audit ${audit.auditId}, ${
    counts.length ? counts.join(', ') : 'no findings'
  }`;
}

function metricTable(c: VersionTrainingComparison, metrics: VersionMetricChange[]): string {
  const [a, b] = c.versions;
  const header = ['metric', `version ${a.versionId}`, `version ${b.versionId}`, 'change'];
  const rows = metrics.map((m) => [
    `${m.name} (${directionLabel(m.better)} is better)`,
    formatNumber(m.a),
    formatNumber(m.b),
    m.changeError === null
      ? formatNumber(m.change, true)
      : `${formatNumber(m.change, true)} ± ${formatNumber(2 * m.changeError)}`,
  ]);
  const note = metrics.some((m) => m.changeError !== null)
    ? '\n± is twice the standard error from the judge drawing its samples (shares by their count, FID and KID by resampling them).'
    : '';
  return rows.length ? `${table([header, ...rows])}${note}` : '  no figures';
}

function describeJudge(c: VersionTrainingComparison): string {
  const j = c.judge;
  const parts = [
    `${j.featureNetwork} feature network and items of version ${j.referenceVersionId}`,
    `${j.trainItems} train / ${j.validationItems} validation`,
    `${j.sampleCount} samples each`,
  ];
  if (j.copyThreshold !== null)
    parts.push(`near copy at distance <= ${formatNumber(j.copyThreshold)}`);
  if (j.scarceClass !== null) parts.push(`scarcest class "${j.scarceClass}"`);
  if (j.duplicatedItems > 0) parts.push(`${j.duplicatedItems} duplicated items`);
  return `One judge for both runs: ${parts.join(', ')}.`;
}

export function describeVersionComparison(c: VersionTrainingComparison): string {
  const [a, b] = c.versions;
  return [
    `${c.presetId}, ${c.steps} steps, seed ${c.seed} on both versions.`,
    describeJudge(c),
    metricTable(c, c.metrics),
    '',
    'Each run against its own version (does not compare across versions):',
    metricTable(c, c.ownMetrics),
    '',
    'Findings per version:',
    `  ${describeFindings(a)}`,
    `  ${describeFindings(b)}`,
  ].join('\n');
}
