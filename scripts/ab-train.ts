// A/B timing of studio wasm kernels (issue 14): one reference model's training step with the
// named kernels in (A) and swapped out (B: the stock kernel, or for a standalone kernel its
// caller's op-by-op path), alternated in one run on one model, so both sides share the machine's
// load; prints the CPU model, the load, kernels per step and the median step of each side.
//
//   npm run ab:train -- --model dcgan|vae|charlstm|chargpt --old K1,K2 [--threads N]
//                       [--steps 5] [--rounds 4] [--warmup 3]
//   npm run ab:train -- --model dcgan --compiled gemm   (B: the compiled f32x4 GEMM off, so
//                       its callers take their XNNPACK path; `strided` likewise the strided copies;
//                       `helpers` the helper-thread team of wasm/team.ts, so batched products,
//                       shared tiles and row loops stay on the caller; `broadcast` the compiled
//                       rows of wasm/broadcastSimd.ts, so Add/Sub/Multiply/Square/LeakyRelu take
//                       the stock kernels and XNNPACK; `fma` the fused multiply-add of the
//                       compiled products; `im2col` the compiled im2col, so convolutions with
//                       many channels go back to XNNPACK)
//
// Per round, `steps` steps of each side, the side that goes first alternating between rounds.
// Run through scripts/ab-train.mjs, which loads this file with Vite's module runner.

import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import {
  REFERENCE_NAMES,
  referenceConfig,
  type ReferenceName,
} from '../main/ml/worker/models/reference';
import { buildModel } from '../main/ml/worker/models/registry';
import {
  registerStudioWasmKernels,
  setStudioKernelsEnabled,
} from '../main/ml/worker/wasm/registerKernels';
import { setBroadcastOpsEnabled } from '../main/ml/worker/wasm/broadcastSimd';
import { setProductsFuseMultiplyAdd } from '../main/ml/worker/wasm/fusedMultiplyAdd';
import { setGemmOpsEnabled } from '../main/ml/worker/wasm/gemmSimd';
import { setIm2colOpsEnabled } from '../main/ml/worker/wasm/im2colSimd';
import { setTeamHelpersEnabled } from '../main/ml/worker/wasm/team';
import { setStridedOpsEnabled } from '../main/ml/worker/wasm/stridedCopy';
import { syntheticSteps } from './profile/syntheticSteps';
import { integerOption } from './integerOption';

/** The compiled heap modules `--compiled` can turn off on side B (their callers fall back). */
const COMPILED = {
  gemm: setGemmOpsEnabled,
  strided: setStridedOpsEnabled,
  helpers: setTeamHelpersEnabled,
  broadcast: setBroadcastOpsEnabled,
  fma: setProductsFuseMultiplyAdd,
  im2col: setIm2colOpsEnabled,
} as const;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'charlstm' },
      old: { type: 'string' },
      steps: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '3' },
      threads: { type: 'string' },
      compiled: { type: 'string' },
    },
  });
  const name = values.model as ReferenceName;
  if (!REFERENCE_NAMES.includes(name)) {
    throw new Error(`--model must be one of ${REFERENCE_NAMES.join(', ')}`);
  }
  const old = (values.old ?? '').split(',').filter((k) => k.trim() !== '');
  const compiled = (values.compiled ?? '').split(',').filter((k) => k.trim() !== '');
  for (const module of compiled) {
    if (!(module in COMPILED))
      throw new Error(`--compiled takes ${Object.keys(COMPILED).join(', ')}`);
  }
  if (old.length === 0 && compiled.length === 0) {
    throw new Error(
      '--old names the kernels to swap out (e.g. --old Tanh), or --compiled the modules',
    );
  }
  const steps = integerOption(values.steps, 'steps');
  const rounds = integerOption(values.rounds, 'rounds');
  const warmup = integerOption(values.warmup, 'warmup', 0);
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;

  const report = await resolveBackend({
    environment: nodeBackendEnvironment(),
    preferBackend: 'wasm',
  });
  if (report.active !== 'wasm') throw new Error(`A/B timing needs wasm; ${report.active} loaded`);
  registerStudioWasmKernels();
  const use = (side: 'A' | 'B') => {
    setStudioKernelsEnabled(old, side === 'A');
    for (const module of compiled) COMPILED[module as keyof typeof COMPILED](side === 'A');
  };
  use('B'); // checks the names before anything runs
  use('A');
  console.log(
    `${name}: wasm, ${String(report.threads)} thread(s); CPU ${cpus()[0]?.model ?? '?'} ×${cpus().length}; ` +
      `load average ${(loadavg()[0] ?? 0).toFixed(1)}; A = studio kernels, B = without ${[...old, ...compiled.map((m) => `compiled ${m}`)].join(', ')}`,
  );

  const loop = syntheticSteps(buildModel(referenceConfig(name), 1));
  const times: Record<'A' | 'B', number[]> = { A: [], B: [] };
  const kernels: Record<'A' | 'B', number> = { A: 0, B: 0 };
  // CPU time of the whole process (all threads) per timed step: on a shared machine, steadier
  // than wall time, which counts the time other processes held the cores.
  const cpuMs: Record<'A' | 'B', number> = { A: 0, B: 0 };
  let step = 0;
  try {
    for (const side of ['A', 'B'] as const) {
      use(side);
      for (let i = 0; i < warmup; i++) loop.step(step++);
      kernels[side] = (await tf.profile(() => loop.step(step++))).kernels.length;
    }
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const);
      for (const side of order) {
        use(side);
        loop.step(step++); // the first step after a swap re-packs weights: not timed
        const cpuBefore = process.cpuUsage();
        for (let i = 0; i < steps; i++) {
          const start = performance.now();
          loop.step(step++);
          times[side].push(performance.now() - start);
        }
        const cpu = process.cpuUsage(cpuBefore);
        cpuMs[side] += (cpu.user + cpu.system) / 1000;
      }
    }
  } finally {
    use('A');
    loop.dispose();
  }
  const [a, b] = [median(times.A), median(times.B)];
  for (const side of ['A', 'B'] as const) {
    console.log(
      `${side}: median step ${median(times[side]).toFixed(1)} ms over ${times[side].length} steps ` +
        `(min ${Math.min(...times[side]).toFixed(1)}), CPU ${(cpuMs[side] / times[side].length).toFixed(1)} ms ` +
        `per step, ${kernels[side]} kernels per step`,
    );
  }
  console.log(
    `B/A = ${(b / a).toFixed(2)}× by wall time, ${(cpuMs.B / cpuMs.A).toFixed(2)}× by CPU time ` +
      '(how much faster the studio kernels make the step)',
  );
  return 0;
}
