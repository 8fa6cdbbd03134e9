// What the quick in-run evaluation (issue 11) costs a run: each preset trains through the real
// run path (StudioCore, the ML worker, the database) on the bundled sample datasets, with the
// quick evaluation and without it, same seed, one after the other in this one process, and the
// wall times (runs.start to completed) are printed side by side, with the time the quick
// evaluations themselves took (their cost_quick_evaluation_ms). Order per preset: with (cold:
// the version's feature network is trained at the run's start and cached), without, with (warm:
// the cached network is loaded). The end evaluation is off in all of them.
//
//   npx electron-vite build && node scripts/bench-quick-eval.mjs [--steps 400] [--only dcgan-small,char-gpt-small]
//
// Needs the built worker (out/main/mlWorker.js). Run through scripts/bench-quick-eval.mjs.

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { StudioCore } from '../main/core/studioCore';

const REPO = path.resolve(import.meta.dirname, '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const DEFAULT_PRESETS = ['dcgan-small', 'conv-vae-small', 'char-gpt-small'];

interface Timed {
  seconds: number;
  quickMs: number;
  quickPoints: number;
}

async function timedRun(
  core: StudioCore,
  datasetId: number,
  presetId: string,
  steps: number,
): Promise<Timed> {
  const started = performance.now();
  const run = await core.runs.start({ datasetId, presetId, steps, evaluateAtEnd: false });
  const done = await core.runs.waitFor(run.id);
  const seconds = (performance.now() - started) / 1000;
  if (done.status !== 'completed')
    throw new Error(`${presetId}: ${done.status} ${done.message ?? ''}`);
  const quick = core.runs.get(run.id).metrics.filter((m) => m.name === 'cost_quick_evaluation_ms');
  return { seconds, quickMs: quick.reduce((s, m) => s + m.value, 0), quickPoints: quick.length };
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { steps: { type: 'string', default: '400' }, only: { type: 'string' } },
  });
  const steps = Math.trunc(Number(values.steps));
  const presets = values.only ? values.only.split(',') : DEFAULT_PRESETS;
  if (!existsSync(WORKER))
    throw new Error(`${WORKER} is missing: run \`npx electron-vite build\` first.`);
  console.log(
    `CPU: ${cpus()[0]?.model ?? '?'} ×${cpus().length}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `${steps} steps per run, seed from the preset; quick evaluation at the preset's validation points`,
  );
  const dataDir = (name: string) => mkdtempSync(path.join(tmpdir(), `quick-eval-${name}-`));
  const withDir = dataDir('with');
  const withoutDir = dataDir('without');
  const withQuick = new StudioCore({ dataDir: withDir, shell: 'browser', workerPath: WORKER });
  const withoutQuick = new StudioCore({
    dataDir: withoutDir,
    shell: 'browser',
    workerPath: WORKER,
    evaluation: { inRun: false },
  });
  try {
    const imports = async (core: StudioCore) => ({
      image: (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images')))
        .dataset.id,
      text: (await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-text'))).dataset
        .id,
    });
    const a = await imports(withQuick);
    const b = await imports(withoutQuick);
    console.log(
      'preset            with(cold) s  without s  with(warm) s  overhead(warm)  quick points  quick ms total',
    );
    for (const presetId of presets) {
      const kind = presetId.startsWith('char-') ? 'text' : 'image';
      // Text has no feature network: its first run is no colder than the next.
      const cold = kind === 'image' ? await timedRun(withQuick, a[kind], presetId, steps) : null;
      const off = await timedRun(withoutQuick, b[kind], presetId, steps);
      const warm = await timedRun(withQuick, a[kind], presetId, steps);
      const overhead = (100 * (warm.seconds - off.seconds)) / off.seconds;
      console.log(
        [
          presetId.padEnd(16),
          (cold ? cold.seconds.toFixed(1) : '-').padStart(13),
          off.seconds.toFixed(1).padStart(10),
          warm.seconds.toFixed(1).padStart(13),
          `${overhead >= 0 ? '+' : ''}${overhead.toFixed(1)}%`.padStart(15),
          String(warm.quickPoints).padStart(13),
          warm.quickMs.toFixed(0).padStart(15),
        ].join(' '),
      );
    }
  } finally {
    await withQuick.close();
    await withoutQuick.close();
    rmSync(withDir, { recursive: true, force: true });
    rmSync(withoutDir, { recursive: true, force: true });
  }
  return 0;
}
