import type { Command } from 'commander';
import type { ComparedVersion, VersionTrainingComparison } from '../../../preload/contract';
import { call, CliFailure, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { directionLabel } from '../../runs/metricSummary';

// `studio compare-versions --dataset 1 --versions 1,2 --model conv-vae-tiny --steps 30`: what
// cleaning bought, through the same runs:compareVersions call as the app: the preset trained
// with the same seed and steps on both versions, their final metrics and each version's findings.

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
    .option('--json', 'print the comparison as JSON')
    .action(
      (opts: {
        dataset: number;
        versions: [number, number];
        model: string;
        steps: number;
        json?: boolean;
      }) =>
        withCore(ctx, async (core) => {
          const comparison = await call(core, 'runs:compareVersions', {
            datasetId: opts.dataset,
            versionIds: opts.versions,
            presetId: opts.model,
            steps: opts.steps,
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

export function describeVersionComparison(c: VersionTrainingComparison): string {
  const [a, b] = c.versions;
  const header = ['metric', `version ${a.versionId}`, `version ${b.versionId}`, 'change'];
  const rows = c.metrics.map((m) => [
    `${m.name} (${directionLabel(m.better)} is better)`,
    formatNumber(m.a),
    formatNumber(m.b),
    formatNumber(m.change, true),
  ]);
  return [
    `${c.presetId}, ${c.steps} steps, seed ${a.seed ?? '-'} on both versions:`,
    rows.length ? table([header, ...rows]) : '  no eval_* or val_* metrics recorded',
    '',
    'Findings per version:',
    `  ${describeFindings(a)}`,
    `  ${describeFindings(b)}`,
  ].join('\n');
}
