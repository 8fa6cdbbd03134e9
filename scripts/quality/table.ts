// The quality benchmark's printed tables: each model's validation figure (and, for the image
// models, the judge's FID) beside the twin's with their ratio, then every figure of the judge for
// each sample set, with the spread of sets of 64 from one source.

import type { JudgeFigures } from './judge';
import { JUDGE_DESCRIPTION } from './judge';
import type { StudioResult } from './studio';
import type { QualityTask, TwinOutcome } from './twin';

/**
 * protocol: the twin's optimiser and loop; preset: the preset as a person runs it; twin-init
 * (VAE only, a diagnostic, not in the default list): the protocol from the twin's own initial
 * weights (./quality/twinInit.ts).
 */
export type Variant = 'protocol' | 'preset' | 'twin-init';

export interface Row {
  task: QualityTask;
  variant: Variant | 'preset = protocol';
  steps: number;
  studio: StudioResult;
  /** The studio's sample grid (image models), and what the judge makes of it. */
  grid: string | null;
  judged?: JudgeFigures;
  /** The judge's figures of every grid the studio drew (GRID_SEEDS), where they were written. */
  judgedSeeds?: JudgeFigures[];
}

/** Per image task, the judge's figures of the twin's grid; and of sets of held-out real digits. */
export interface Judged {
  twin: Map<QualityTask, JudgeFigures>;
  real: JudgeFigures[];
}

const fmt = (x: number | undefined, digits = 4): string =>
  x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits);

export const isImage = (task: QualityTask): task is 'vae' | 'dcgan' =>
  task === 'vae' || task === 'dcgan';

function printColumns(header: string[], lines: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const show = (cells: string[]): string =>
    cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  console.log(show(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const line of lines) console.log(show(line));
}

/** A row's figures as table lines: the validation figure, and for image models the judge's. */
function figureLines(row: Row, twin: TwinOutcome | undefined, judged: Judged): string[][] {
  const ok = twin !== undefined && !('error' in twin) ? twin : undefined;
  const missing = twin === undefined ? '-' : 'n/a';
  const line = (
    figure: string,
    studio: number | undefined,
    torch: number | undefined,
    digits: number,
    options: { ratio?: boolean; studioExtra?: string; torchExtra?: string } = {},
  ): string[] => [
    row.task,
    row.variant,
    figure,
    fmt(studio, digits) + (options.studioExtra ?? ''),
    torch === undefined ? missing : fmt(torch, digits) + (options.torchExtra ?? ''),
    torch === undefined || options.ratio === false ? '-' : fmt((studio ?? NaN) / torch, 3),
    String(row.steps),
  ];
  const fid = (): string[] =>
    line(
      'FID, 64 samples',
      row.judged?.frechetDistance,
      judged.twin.get(row.task)?.frechetDistance,
      2,
    );
  if (row.task === 'charlstm' || row.task === 'chargpt') {
    return [line('val bits/char', row.studio.parts.bitsPerChar, ok?.parts.bitsPerChar, 4)];
  }
  if (row.task === 'vae') {
    return [line('val −ELBO nats/img', row.studio.figure, ok?.figure, 2), fid()];
  }
  const gLoss = (r: { parts: Record<string, number> } | undefined): string =>
    ` (${fmt(r?.parts.gLoss, 3)})`;
  return [
    fid(),
    line('D loss (G loss)', row.studio.figure, ok?.figure, 3, {
      ratio: false,
      studioExtra: gLoss(row.studio),
      torchExtra: gLoss(ok),
    }),
  ];
}

export function printTables(
  rows: Row[],
  twins: Map<QualityTask, TwinOutcome>,
  judged: Judged,
): void {
  printColumns(
    ['model', 'studio variant', 'figure', 'studio', 'PyTorch', 'ratio', 'steps'],
    rows.flatMap((row) => figureLines(row, twins.get(row.task), judged)),
  );
  console.log(
    'ratio = studio / PyTorch (lower is better; target ≤ 1.05). DCGAN losses are not a quality figure.',
  );
  const judgedRows: [string, JudgeFigures | undefined][] = [];
  const spreads: [string, JudgeFigures[]][] = [];
  for (const row of rows) {
    if (!isImage(row.task)) continue;
    judgedRows.push([`${row.task} studio (${row.variant})`, row.judged]);
    if (row.judgedSeeds !== undefined) {
      spreads.push([
        `${row.task} studio (${row.variant}), ${row.judgedSeeds.length} noise seeds`,
        row.judgedSeeds,
      ]);
    }
    if (!judgedRows.some(([name]) => name === `${row.task} PyTorch`)) {
      judgedRows.push([`${row.task} PyTorch`, judged.twin.get(row.task)]);
    }
  }
  if (judgedRows.length === 0) return;
  if (judged.real.length > 0) {
    spreads.push([`real held-out digits, ${judged.real.length} sets`, judged.real]);
  }
  const columns: [Exclude<keyof JudgeFigures, 'errors'>, number][] = [
    ['frechetDistance', 2],
    ['kid', 2],
    ['precision', 3],
    ['recall', 3],
    ['density', 3],
    ['coverage', 3],
    ['missingClasses', 0],
  ];
  const lines = judgedRows.map(([name, f]) => [
    name,
    ...columns.map(([key, digits]) => fmt(f?.[key], digits)),
  ]);
  // Sets of 64 from one source (another noise seed; other real digits): how far one set strays,
  // as mean (min–max); the real digits are also the floor at this sample size.
  for (const [name, sets] of spreads) {
    lines.push([
      `${name}: mean (min–max)`,
      ...columns.map(([key, digits]) => {
        const values = sets.map((f) => f[key]);
        const mean = values.reduce((a, b) => a + b, 0) / values.length;
        return `${fmt(mean, digits)} (${fmt(Math.min(...values), digits)}–${fmt(Math.max(...values), digits)})`;
      }),
    ]);
  }
  console.log(`\nSamples judged by ${JUDGE_DESCRIPTION}:`);
  printColumns(
    ['samples', 'FID ↓', 'KID ↓', 'precision', 'recall', 'density', 'coverage', 'digits missing'],
    lines,
  );
}
