import type { Command } from 'commander';
import type { ConfigValue, RunComparison } from '../../../preload/contract';
import { call, CliFailure, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { directionLabel } from '../../runs/metricSummary';

// `studio compare --runs 1,2,3`: the metrics table (best in each row marked with *) and the
// config keys whose values differ, through the same runs:compare call as the app's compare view.

function runIdList(text: string): number[] {
  const ids = text.split(',').map((part) => Number(part.trim()));
  if (ids.some((id) => !Number.isInteger(id) || id <= 0)) {
    throw new CliFailure(
      {
        code: 'invalid-input',
        message: `--runs takes run ids separated by commas, e.g. 1,2,3 (got "${text}").`,
      },
      EXIT.usage,
    );
  }
  return ids;
}

export function registerCompare(program: Command, ctx: CliContext): void {
  program
    .command('compare')
    .description('compare 2 to 8 runs: their metrics (best marked) and the config that differs')
    .requiredOption('--runs <ids>', 'run ids separated by commas, e.g. 1,2,3', runIdList)
    .option('--json', 'print the comparison as JSON')
    .action((opts: { runs: number[]; json?: boolean }) =>
      withCore(ctx, async (core) => {
        const comparison = await call(core, 'runs:compare', { runIds: opts.runs });
        print(Boolean(opts.json), comparison, () => describeComparison(comparison));
      }),
    );
}

function formatValue(value: ConfigValue | number | undefined): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toPrecision(4);
  return String(value);
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

export function describeComparison(c: RunComparison): string {
  const header = ['', ...c.runs.map((r) => (r.name ? `run ${r.id} ${r.name}` : `run ${r.id}`))];
  const metricRows = c.metrics.map((m) => [
    m.bestRunId === null ? `${m.name} (a schedule)` : `${m.name} (best, ${directionLabel(m.better)} is better)`,
    ...m.values.map((v, i) =>
      v ? `${formatValue(v.best)}${c.runs[i]?.id === m.bestRunId ? ' *' : ''}` : '-',
    ),
  ]);
  const configRows = c.configDiff.map((d) => [d.key, ...d.values.map(formatValue)]);
  return [
    'Metrics (* best):',
    metricRows.length ? table([header, ...metricRows]) : '  no metrics recorded',
    '',
    'Config that differs:',
    configRows.length ? table([header, ...configRows]) : '  the configs are the same',
  ].join('\n');
}
