// Where one training step's time goes, per kernel (issue 14), for a reference model of
// shared/bench/REFERENCE_MODELS.md built in-process as bench-train.ts builds it.
//
//   npm run profile:train -- --model dcgan|vae|charlstm|chargpt [--threads N] [--steps 5]
//                            [--warmup 3]
//
// After the warm-up, `steps` steps run with every wasm kernel wrapped in a clock
// (profile/kernelTimer.ts); it prints, per step on average: kernels grouped by name (calls, ms,
// share of the step), the time outside kernels (step wall time minus kernel time: JS dispatch,
// the gradient tape, tensor bookkeeping, data movement outside kernels), the kernels run, and
// which path each convolution takes, and how many threads each kernel kept busy (cpu/wall). The
// wrapper adds a little time of its own to "outside". PROFILE_SHAPES=1 gives one row per kernel
// and input shapes; PROFILE_TOP=N lists N rows instead of 25.
// Run through scripts/profile-train.mjs, which loads this file with Vite's module runner.

import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import {
  REFERENCE_NAMES,
  referenceConfig,
  type ReferenceName,
} from '../main/ml/worker/models/reference';
import { buildModel } from '../main/ml/worker/models/registry';
import { registerStudioWasmKernels } from '../main/ml/worker/wasm/registerKernels';
import { installKernelTimer } from './profile/kernelTimer';
import { syntheticSteps } from './profile/syntheticSteps';
import { integerOption } from './integerOption';

const TOP = Math.max(1, Math.trunc(Number(process.env.PROFILE_TOP ?? 25)) || 25);

const fixed = (x: number, digits = 2): string => x.toFixed(digits);

export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      model: { type: 'string', default: 'dcgan' },
      steps: { type: 'string', default: '5' },
      warmup: { type: 'string', default: '10' },
      threads: { type: 'string' },
    },
  });
  const name = values.model as ReferenceName;
  if (!REFERENCE_NAMES.includes(name)) {
    throw new Error(`--model must be one of ${REFERENCE_NAMES.join(', ')}`);
  }
  const steps = integerOption(values.steps, 'steps');
  const warmup = integerOption(values.warmup, 'warmup', 0);
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;

  const report = await resolveBackend({
    environment: nodeBackendEnvironment(),
    preferBackend: 'wasm',
  });
  if (report.active !== 'wasm') throw new Error(`The profile needs wasm; ${report.active} loaded`);
  const timer = installKernelTimer(registerStudioWasmKernels());
  const load = loadavg()[0] ?? 0;
  console.log(
    `${name}: wasm, ${String(report.threads)} thread(s), products ${report.fusedMultiplyAdd === true ? 'fused' : 'unfused'}; CPU ${cpus()[0]?.model ?? '?'} ×${cpus().length}; load average ${fixed(load, 1)} (absolute times depend on it, shares less)`,
  );

  const ref = referenceConfig(name);
  const loop = syntheticSteps(buildModel(ref, 1));
  try {
    for (let i = 0; i < warmup; i++) loop.step(i);
    timer.reset();
    const stepMs: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let i = 0; i < steps; i++) {
      const start = performance.now();
      loop.step(warmup + i);
      stepMs.push(performance.now() - start);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const stats = timer.stats();
    const wall = stepMs.reduce((a, b) => a + b, 0) / steps;
    const kernelMs = stats.reduce((a, s) => a + s.ms, 0) / steps;
    const calls = stats.reduce((a, s) => a + s.count, 0) / steps;
    console.log(
      `step ${fixed(wall)} ms (mean of ${steps}; min ${fixed(Math.min(...stepMs))}, max ${fixed(Math.max(...stepMs))}), ` +
        `${fixed(calls, 0)} kernels per step, ${stats.length} distinct; cpu/wall of the whole ` +
        `step ${fixed((cpu.user + cpu.system) / 1000 / (wall * steps))} (the baseline for the column below)`,
    );
    console.log(
      `in kernels ${fixed(kernelMs)} ms (${fixed((100 * kernelMs) / wall, 1)}%), ` +
        `outside kernels ${fixed(wall - kernelMs)} ms (${fixed((100 * (wall - kernelMs)) / wall, 1)}%): ` +
        `${fixed((1000 * (wall - kernelMs)) / Math.max(1, calls), 1)} µs per kernel call`,
    );
    // cpu/wall: CPU time of all the process's threads per wall ms inside the kernel; near the
    // thread count when every thread works in it (other load on the machine lowers it).
    console.log(
      '\nkernel                        calls/step    ms/step   share   µs/call  cpu/wall',
    );
    for (const s of stats.slice(0, TOP)) {
      const ms = s.ms / steps;
      console.log(
        `${s.name.padEnd(30)}${fixed(s.count / steps, 0).padStart(10)}${fixed(ms).padStart(11)}` +
          `${(fixed((100 * ms) / wall, 1) + '%').padStart(8)}${fixed((1000 * s.ms) / s.count, 0).padStart(10)}` +
          `${fixed(s.ms > 0 ? s.cpuMs / s.ms : 0).padStart(10)}`,
      );
    }
    if (stats.length > TOP) {
      const rest = stats.slice(TOP).reduce((a, s) => a + s.ms, 0) / steps;
      console.log(`(${stats.length - TOP} more kernels: ${fixed(rest)} ms/step)`);
    }
    const paths = timer.convPaths();
    if (paths.size > 0) {
      console.log('\nconvolution paths (calls per step):');
      for (const [path, count] of [...paths].sort()) {
        console.log(`  ${path}: ${fixed(count / steps, 0)}`);
      }
    }
  } finally {
    loop.dispose();
  }
  return 0;
}
