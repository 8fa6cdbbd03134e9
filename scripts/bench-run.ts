// Whole runs against their steps (issue 14): each reference preset (the four families at the
// reference shapes) trains for a few hundred steps through the real run path — a StudioCore on a
// temporary data dir, the bundled sample datasets imported, `runs.start` as the runs:start handler
// calls it, the ML worker, the database — and, in the same script run right after, the same model
// config's step loop in-process on synthetic batches (as bench-train does it). Prints per model the
// run's wall time per step, the bench's step time and their ratio (and beside them the worker's
// own measured step, runs:estimate, to tell the worker thread from the in-process loop) (issue 14's target: ≤ 1.2), and
// where the rest went (bench steps are timed half just before and half just after the run, so
// both see the same machine load), from the timestamps of the run's progress, sample and status events:
//
//   setup    runs.start to the first step's progress event (data load, worker job, model build,
//            and the first step itself);
//   steps    the steady per-step time over progress intervals with nothing else in them (data
//            batches, progress events and metric writes ride on these);
//   extras   the excess of intervals holding a validation, a sample grid or a checkpoint over
//            that steady time, by what they held;
//   tail     the last step's progress event to the run completed (the final validation, samples
//            and checkpoint, the status write).
//
//   npm run build && npm run bench:run -- [--steps 200] [--only vae,dcgan,charlstm,chargpt]
//                                         [--bench-steps 20] [--warmup 10] [--threads N] [--keep]
//
// Needs the built worker (out/main/mlWorker.js). Run through scripts/bench-run.mjs.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { FamilyConfig } from '../main/ml/config/configs';
import type { TrainingConfig } from '../main/ml/config/trainingConfig';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import { buildModel } from '../main/ml/worker/models/registry';
import { StudioCore } from '../main/core/studioCore';
import type { RunTiming } from '../main/runs/runTiming';
import { attributeRun, type RunTimeline } from './profile/runTimeline';
import { syntheticSteps } from './profile/syntheticSteps';
import { integerOption } from './integerOption';

const REPO = path.resolve(import.meta.dirname, '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const PRESETS = {
  vae: { preset: 'conv-vae-small', data: 'images' },
  dcgan: { preset: 'dcgan-small', data: 'images' },
  charlstm: { preset: 'char-lstm-small', data: 'text' },
  chargpt: { preset: 'char-gpt-small', data: 'text' },
} as const;
type Name = keyof typeof PRESETS;
const NAMES = Object.keys(PRESETS) as Name[];

const fixed = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : '-');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

/** The run through the studio, with the event timestamps attributeRun needs. */
async function timedRun(
  core: StudioCore,
  datasetId: number,
  presetId: string,
  steps: number,
): Promise<{
  timeline: RunTimeline;
  config: FamilyConfig;
  training: TrainingConfig;
  timing: RunTiming | undefined;
}> {
  const progress: { at: number; step: number }[] = [];
  const samples: { at: number; step: number }[] = [];
  let runId = -1;
  const offProgress = core.events.on('runs:progress', (p) => {
    if (p.runId === runId) progress.push({ at: performance.now(), step: p.step });
  });
  const offSamples = core.events.on('samples:added', (s) => {
    if (s.runId === runId) samples.push({ at: performance.now(), step: s.step });
  });
  try {
    const startedAt = performance.now();
    const started = await core.runs.start({ datasetId, presetId, steps });
    runId = started.id;
    const finished = await core.runs.waitFor(runId);
    const endedAt = performance.now();
    if (finished.status !== 'completed') {
      throw new Error(`${presetId}: the run ended ${finished.status}: ${finished.message ?? ''}`);
    }
    const detail = core.runs.get(runId);
    const stored = detail.config as { family: string; config: unknown; training: TrainingConfig };
    const validationSteps = [
      ...new Set(detail.metrics.filter((m) => m.name.startsWith('val_')).map((m) => m.step)),
    ];
    return {
      timeline: {
        startedAt,
        endedAt,
        totalSteps: finished.totalSteps,
        progress,
        samples,
        validationSteps,
        checkpointEvery: stored.training.checkpointEvery,
      },
      config: { family: stored.family, config: stored.config } as FamilyConfig,
      training: stored.training,
      timing: core.runs.timing(runId),
    };
  } finally {
    offProgress();
    offSamples();
  }
}

/**
 * The worker's own account of the run (its clock, the same run): ms and % of the run's wall time
 * per phase, 'outside' being what neither the loop nor the finishing saw (data load, job start,
 * model build, the quick evaluation's set-up, messages), and wall time over the loop's step time: the ratio issue 14 asks ≤ 1.2.
 */
function phaseTable(timing: RunTiming | undefined, wallMs: number): Record<string, unknown> {
  if (timing === undefined) return { phases: 'none reported' };
  const { steps, validation, evaluation, samples, checkpoints, ...rest } = timing.worker;
  const loop = Object.values(timing.worker).reduce((a, b) => a + b, 0);
  const ms: Record<string, number> = {
    steps,
    validation,
    evaluation,
    samples,
    checkpoints,
    other: Object.values(rest).reduce((a, b) => a + b, 0),
    finishing: timing.finishingMs,
    outside: wallMs - loop - timing.finishingMs,
  };
  return {
    phase_ms: Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Math.round(v)])),
    phase_pct: Object.fromEntries(
      Object.entries(ms).map(([k, v]) => [k, Number(fixed((100 * v) / wallMs))]),
    ),
    other_ms: Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, Math.round(v)])),
    run_over_steps: Number(fixed(wallMs / steps, 3)),
  };
}

/** The worker's phases, finishing and outside as ms, steps left out: what a run adds to its steps. */
function extraPhases(timing: RunTiming, wallMs: number): Record<string, number> {
  const { steps: _steps, ...rest } = timing.worker;
  const loop = Object.values(timing.worker).reduce((a, b) => a + b, 0);
  return { ...rest, finishing: timing.finishingMs, outside: wallMs - loop - timing.finishingMs };
}

/** One line of the closing table: what the README's bench:run table quotes. */
function summaryRow(
  name: string,
  preset: string,
  runPerStep: number,
  benchMs: number,
  timing: RunTiming | undefined,
  wallMs: number,
): string[] {
  const extras = timing === undefined ? {} : extraPhases(timing, wallMs);
  const [phase, ms] = Object.entries(extras).sort((a, b) => b[1] - a[1])[0] ?? ['-', NaN];
  return [
    `${name} (${preset})`,
    `${fixed(runPerStep)} ms`,
    `${fixed(benchMs)} ms`,
    fixed(runPerStep / benchMs, 2),
    `${phase} ${fixed((100 * ms) / wallMs)}%`,
  ];
}

function printSummary(rows: string[][]): void {
  const header = ['preset', 'wall/step', 'bench step', 'ratio', 'biggest non-step phase'];
  console.log(`\n| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log(
    `load average at the end: ${loadavg()
      .map((x) => fixed(x, 2))
      .join(' ')}`,
  );
}

/** The same model config's step loop in-process, as bench-train times it: each step's ms. */
function benchSteps(config: FamilyConfig, seed: number, steps: number, warmup: number): number[] {
  const loop = syntheticSteps(buildModel(config, seed));
  try {
    for (let i = 0; i < warmup; i++) loop.step(i);
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      loop.step(warmup + i);
      times.push(performance.now() - start);
    }
    return times;
  } finally {
    loop.dispose();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      steps: { type: 'string', default: '200' },
      only: { type: 'string', default: NAMES.join(',') },
      'bench-steps': { type: 'string', default: '20' },
      // Few warm-up steps measure slow first steps (on a loaded machine 3 gave 2× the steady time).
      warmup: { type: 'string', default: '10' },
      threads: { type: 'string' },
      keep: { type: 'boolean', default: false },
    },
  });
  const steps = integerOption(values.steps, 'steps', 2);
  const benchCount = integerOption(values['bench-steps'], 'bench-steps', 2);
  const warmup = Math.max(0, Math.trunc(Number(values.warmup)));
  const only = values.only.split(',').map((s) => s.trim());
  for (const name of only) {
    if (!(NAMES as string[]).includes(name)) throw new Error(`--only: unknown model ${name}`);
  }
  // The worker reads the same variable, so both sides run the same thread count.
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);

  const report = await resolveBackend({ environment: nodeBackendEnvironment() });
  console.log(
    `bench:run, ${steps} run steps, ${benchCount} bench steps; in-process ${report.active}, ${String(report.threads ?? '-')} thread(s), products ${report.fusedMultiplyAdd === true ? 'fused' : 'unfused'}; ` +
      `CPU ${cpus()[0]?.model ?? '?'} ×${cpus().length}`,
  );
  const dataDir = mkdtempSync(path.join(tmpdir(), 'studio-bench-run-'));
  const core = new StudioCore({ dataDir, shell: 'browser', workerPath: WORKER });
  try {
    const datasets = {
      images: (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
        .dataset.id,
      text: (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-text'))).dataset
        .id,
    };
    const rows: string[][] = [];
    for (const name of only as Name[]) {
      const { preset, data } = PRESETS[name];
      // A two-step run first, for the config the preset resolves to on this dataset; then the
      // bench's steps half before and half after the timed run, so both see the same load.
      const probe = await timedRun(core, datasets[data], preset, 2);
      const load = loadavg()[0] ?? 0;
      const half = Math.ceil(benchCount / 2);
      const before = benchSteps(probe.config, probe.training.seed, half, warmup);
      // The worker's own step time (runs:estimate: 2 warm-up and 5 timed steps on one random
      // batch, in the ML worker thread the run trains in).
      const estimate = await core.runs.estimate({ datasetId: datasets[data], presetId: preset });
      const run = await timedRun(core, datasets[data], preset, steps);
      const after = benchSteps(run.config, run.training.seed, benchCount - half, warmup);
      const benchMs = median([...before, ...after]);
      const a = attributeRun(run.timeline);
      const runPerStep = a.wallMs / steps;
      const line: Record<string, unknown> = {
        model: name,
        preset,
        load_average: Number(fixed(load)),
        run_ms_per_step: Number(fixed(runPerStep)),
        bench_step_ms: Number(fixed(benchMs)),
        bench_before_after_ms: [Number(fixed(median(before))), Number(fixed(median(after)))],
        worker_estimate_step_ms: Number(fixed(estimate.msPerStep)),
        ratio_vs_worker_estimate: Number(fixed(runPerStep / estimate.msPerStep, 2)),
        ratio: Number(fixed(runPerStep / benchMs, 2)),
        run_steady_step_ms: Number(fixed(a.steadyStepMs)),
        steady_ratio: Number(fixed(a.steadyStepMs / benchMs, 2)),
        share_of_run: Object.fromEntries(
          Object.entries(a.parts).map(([part, ms]) => [part, Number(fixed((100 * ms) / a.wallMs))]),
        ),
        // Other processes' load shifts during a run: compare with bench_before_after_ms.
        ms: Object.fromEntries(Object.entries(a.parts).map(([part, ms]) => [part, Math.round(ms)])),
        extras_count: a.extrasCount,
        ...phaseTable(run.timing, a.wallMs),
      };
      console.log(JSON.stringify(line));
      rows.push(summaryRow(name, preset, runPerStep, benchMs, run.timing, a.wallMs));
    }
    printSummary(rows);
  } finally {
    await core.close();
    if (values.keep) console.error(`data dir kept: ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  }
  return 0;
}
