// Training-speed benchmark of the four reference models of shared/bench/REFERENCE_MODELS.md, on
// the backend the studio would choose here, through the studio's own builders and step functions
// (main/ml/models/reference.ts expresses the reference shapes and optimisers in their configs).
//
//   npm run bench:train -- [--models dcgan,vae,charlstm,chargpt] [--steps 20] [--warmup 3]
//                          [--first-warmup 20] [--rounds 2] [--threads N] [--stock]
//                          [--torch auto|off]
//
// Per model: R rounds, each --warmup steps (the first --first-warmup) then N timed steps of the
// studio, then (when /usr/bin/python3 has torch) the PyTorch twin torch_ref.py --threads 1 with the
// same N, so both run under the same machine load; one JSON line per model with the medians and
// studio/PyTorch ratio (by wall time, and by CPU time per step, which other load on a shared
// machine disturbs less when both sides run one thread). --threads sets STUDIO_WASM_THREADS (1
// turns wasm threads off); --stock starts the wasm backend as tfjs ships it (no studio kernels, one
// thread), to show what the kernels change. The first round warms up longer because a fresh model's
// first 10-20 steps are slower, while the engine warms (V8 tiering up the JS and wasm it runs, or
// memory growing to its working set: not pinned down). dcgan at 2 threads, AMD EPYC: after 3
// warm-up steps the first rounds took 108 and 113 ms and later ones 82-98; after 20, 76-83 and
// 66-85. A run of hundreds of steps is the later figure. PyTorch, a fresh process each round, warms
// up --warmup steps.
// Run through scripts/bench-train.mjs, which loads this file with Vite's module runner.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import type { BackendName } from '../preload/contract';
import { nodeBackendEnvironment, resolveBackend } from '../main/ml/worker/backend';
import type { ImageBatch, TextBatch } from '../main/ml/worker/models/model';
import {
  REFERENCE_NAMES,
  referenceConfig,
  type ReferenceName,
} from '../main/ml/worker/models/reference';
import { buildModel } from '../main/ml/worker/models/registry';
import { integerOption } from './integerOption';

const PYTHON = '/usr/bin/python3';
const BATCHES = 8; // a small fixed pool of synthetic batches, cycled (as torch_ref.py does)

interface Options {
  models: ReferenceName[];
  steps: number;
  warmup: number;
  firstWarmup: number;
  rounds: number;
  stock: boolean;
  torch: boolean;
  torchRef: string;
  backend: BackendName | undefined;
}

interface Timing {
  stepsMs: number[];
  wallMs: number;
  /** CPU time this process used per step, all threads: on a loaded machine, with one thread, a
   * steadier measure of the work than wall time. */
  cpuMsPerStep: number;
  otherCpu: number | null;
}

interface TorchResult {
  step_ms_median: number;
  samples_per_s: number;
  steps: number;
  timed_wall_s: number;
  self_cpu_util: number;
  other_cpu_frac?: number;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      models: { type: 'string', default: REFERENCE_NAMES.join(',') },
      steps: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '3' },
      'first-warmup': { type: 'string', default: '20' },
      rounds: { type: 'string', default: '2' },
      threads: { type: 'string' },
      stock: { type: 'boolean', default: false },
      torch: { type: 'string', default: 'auto' },
      'torch-ref': { type: 'string' },
      backend: { type: 'string' },
    },
  });
  const models = values.models.split(',').map((m) => m.trim());
  for (const m of models) {
    if (!(REFERENCE_NAMES as readonly string[]).includes(m)) throw new Error(`Unknown model ${m}`);
  }
  if (values.threads !== undefined) process.env.STUDIO_WASM_THREADS = values.threads;
  const torchRef =
    values['torch-ref'] ?? path.resolve(import.meta.dirname, '../../shared/bench/torch_ref.py');
  const torch = values.torch !== 'off' && existsSync(torchRef) && pythonHasTorch();
  if (values.torch === 'on' && !torch)
    throw new Error(`--torch on, but ${PYTHON} or ${torchRef} lacks torch`);
  return {
    models: models as ReferenceName[],
    steps: integerOption(values.steps, 'steps'),
    warmup: Math.max(0, Math.trunc(Number(values.warmup))),
    firstWarmup: Math.max(0, Math.trunc(Number(values['first-warmup']))),
    rounds: integerOption(values.rounds, 'rounds'),
    stock: values.stock,
    torch,
    torchRef,
    backend: values.backend as BackendName | undefined,
  };
}

/**
 * Debian's torch links whatever libblas.so.3 the alternatives system points at; with only the
 * reference BLAS installed it runs matmuls at ≈ 8 GFLOP/s instead of OpenBLAS's ≈ 100, and the
 * twin's times are 3–12× those of REFERENCE_MODELS.md. Returns a warning, or null when fine.
 */
function torchBlasWarning(): string | null {
  const blas = '/usr/lib/x86_64-linux-gnu/libblas.so.3';
  try {
    if (realpathSync(blas).includes('openblas')) return null;
  } catch {
    return null; // another layout: nothing to say
  }
  return `${blas} is not OpenBLAS, so PyTorch is far slower than in REFERENCE_MODELS.md (apt-get install -y libopenblas0-pthread)`;
}

function pythonHasTorch(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
}

/** Busy and total jiffies of the whole machine (Linux), to tell how loaded it was meanwhile. */
function machineJiffies(): { busy: number; total: number } | null {
  try {
    const fields = readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      ?.trim()
      .split(/\s+/)
      .slice(1, 9);
    const v = (fields ?? []).map(Number);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
  } catch {
    return null;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? NaN)
    : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** A reference model with its pool of synthetic batches and a step function. */
function prepare(name: ReferenceName) {
  const ref = referenceConfig(name);
  const model = buildModel(ref, 1);
  const batchSize = model.batchSize;
  const params = model.size().parameters;
  if (params !== ref.parameters) {
    throw new Error(`${name}: ${params} parameters, the reference has ${ref.parameters}`);
  }
  let step: (i: number) => void;
  let batches: tf.Tensor[];
  if (model.kind === 'image') {
    const images = Array.from({ length: BATCHES }, (_, i) =>
      tf.randomUniform(
        [batchSize, model.imageSize, model.imageSize, model.channels],
        0,
        1,
        'float32',
        i + 1,
      ),
    ) as tf.Tensor4D[];
    batches = images;
    step = (i) => {
      const batch: ImageBatch = { images: images[i % BATCHES] as tf.Tensor4D };
      model.trainStep(batch, { seed: i + 1 });
    };
  } else {
    const windows = Array.from({ length: BATCHES }, (_, i) =>
      tf.randomUniform([batchSize, model.contextLength + 1], 0, model.vocabSize, 'int32', i + 1),
    ) as TextBatch[];
    batches = windows;
    step = (i) => model.trainStep(windows[i % BATCHES] as TextBatch, { seed: i + 1 });
  }
  return {
    batchSize,
    params,
    step,
    dispose: () => {
      tf.dispose(batches);
      model.dispose();
    },
  };
}

/** Warm-up then `steps` individually timed steps (each ends in a read-back of its metrics). */
function timeSteps(run: (i: number) => void, first: number, warmup: number, steps: number): Timing {
  for (let i = 0; i < warmup; i++) run(first + i);
  const before = machineJiffies();
  const cpuBefore = process.cpuUsage();
  const stepsMs: number[] = [];
  const start = performance.now();
  for (let i = 0; i < steps; i++) {
    const t = performance.now();
    run(first + warmup + i);
    stepsMs.push(performance.now() - t);
  }
  const wallMs = performance.now() - start;
  const after = machineJiffies();
  const own = process.cpuUsage(cpuBefore);
  let otherCpu: number | null = null;
  if (before !== null && after !== null && after.total > before.total) {
    // Share of the machine's CPU time used by other processes while the steps ran.
    const busy = (after.busy - before.busy) / (after.total - before.total);
    const ownShare = (own.user + own.system) / 1000 / wallMs / availableParallelism();
    otherCpu = round2(Math.max(0, busy - ownShare) * 100) / 100;
  }
  return { stepsMs, wallMs, cpuMsPerStep: (own.user + own.system) / 1000 / steps, otherCpu };
}

function runTorch(options: Options, name: ReferenceName): TorchResult | { error: string } {
  const args = [
    options.torchRef,
    '--model',
    name,
    '--steps',
    String(options.steps),
    '--threads',
    '1',
  ];
  args.push('--warmup', String(options.warmup));
  const result = spawnSync(PYTHON, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as TorchResult;
  } catch {
    return { error: (result.stderr || line || `exit ${String(result.status)}`).trim().slice(-300) };
  }
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  const environment = nodeBackendEnvironment();
  if (options.stock) {
    // The wasm backend exactly as tfjs ships it: no studio kernels, one thread.
    delete environment.registerWasmKernels;
    environment.wasmThreads = () => 1;
  }
  const report = await resolveBackend({ environment, preferBackend: options.backend ?? 'wasm' });
  const kernels = options.stock ? 'stock' : 'studio';
  const blasWarning = options.torch ? torchBlasWarning() : null;
  if (blasWarning !== null) console.error(`warning: ${blasWarning}`);
  console.error(
    `backend ${report.active}, ${String(report.threads ?? '-')} thread(s), ${kernels} kernels` +
      `${report.active === 'wasm' && !options.stock ? `, products ${report.fusedMultiplyAdd === true ? 'fused' : 'unfused'} (STUDIO_WASM_FMA)` : ''}` +
      `; CPU ${cpus()[0]?.model ?? '?'} ×${cpus().length}; torch ${options.torch ? 'yes' : 'no'}`,
  );

  for (const name of options.models) {
    const line: Record<string, unknown> = {
      model: name,
      backend: report.active,
      threads: report.threads,
      kernels,
      steps: options.steps,
      warmup: options.warmup,
      first_warmup: options.firstWarmup,
      rounds: options.rounds,
    };
    let prepared: ReturnType<typeof prepare> | null = null;
    try {
      prepared = prepare(name);
      const studio: number[] = [];
      const torch: number[] = [];
      const ratios: number[] = [];
      const cpuRatios: number[] = [];
      const rounds: unknown[] = [];
      let wall = 0;
      for (let r = 0; r < options.rounds; r++) {
        const warmup = r === 0 ? Math.max(options.warmup, options.firstWarmup) : options.warmup;
        const t = timeSteps(prepared.step, r * 1000, warmup, options.steps);
        const studioMs = median(t.stepsMs);
        studio.push(...t.stepsMs);
        wall += t.wallMs;
        const entry: Record<string, unknown> = {
          studio_ms: round2(studioMs),
          other_cpu: t.otherCpu,
        };
        if (options.torch) {
          const result = runTorch(options, name);
          if ('error' in result) {
            entry.torch_error = result.error;
          } else {
            const torchCpuMs = (result.self_cpu_util * result.timed_wall_s * 1000) / result.steps;
            torch.push(result.step_ms_median);
            ratios.push(studioMs / result.step_ms_median);
            cpuRatios.push(t.cpuMsPerStep / torchCpuMs);
            entry.torch_ms = round2(result.step_ms_median);
            entry.torch_cpu_ms = round2(torchCpuMs);
            entry.torch_other_cpu = result.other_cpu_frac;
          }
        }
        rounds.push(entry);
      }
      line.params = prepared.params;
      line.batch = prepared.batchSize;
      line.step_ms_median = round2(median(studio));
      line.samples_per_s = round2((prepared.batchSize * studio.length) / (wall / 1000));
      if (torch.length > 0) {
        line.torch_step_ms_median = round2(median(torch));
        line.ratio_vs_torch = round2(median(ratios));
        // CPU time per step, studio / PyTorch: less sensitive to other load (one thread each).
        line.cpu_ratio_vs_torch = round2(median(cpuRatios));
      }
      line.per_round = rounds;
    } catch (error) {
      line.error = error instanceof Error ? error.message : String(error);
    } finally {
      prepared?.dispose();
    }
    console.log(JSON.stringify(line));
  }
  return 0;
}
