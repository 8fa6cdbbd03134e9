// The compiled small-matrix product (gemmSimd.ts) on more than one thread.
//
// XNNPACK's operators run on the wasm backend's pthreadpool, which lives inside the Emscripten
// module and takes only the module's own C entry points: a module compiled here runs on the
// thread that calls it, so a batch of attention products kept one core busy while the other idled
// (cpu/wall ≈ 1.0 in profile:train). The threaded build's memory is a shared WebAssembly.Memory,
// though, which can be posted to a worker_thread: each helper thread instantiates the same gemm
// module on that memory and takes matrices of the batch alongside the calling thread.
//
// Hand-off is through a small SharedArrayBuffer, never the event loop (the caller blocks inside a
// kernel): the caller writes the job, bumps JOB and notifies; every thread, the caller included,
// claims CHUNK matrices at a time from NEXT until the batch is gone, so a helper that wakes late
// or shares its core with another process simply takes fewer. A helper joins a job by moving its
// JOIN word from the previous job to this one; the caller, once out of matrices, does the same for
// each helper that has not joined, so it never waits for one that took nothing, and waits (on
// DONE) only for those still inside a chunk. Each matrix is one gemm call, whichever thread runs
// it, so the result is the same bits as on one thread.

import { Worker } from 'node:worker_threads';
import { GEMM_FUNCTIONS, GEMM_MODULE, type GemmOps, type GemmVariant } from './gemmSimd';
import { heapModuleBytes, memoryOf } from './heapModule';
import type { WasmBackend } from './wasmHeap';

/**
 * One batch of products, addresses and strides in bytes. Matrix i = o·heads + h (heads 1 unless
 * given) has a at aBase + o·aStep + h·aHeadStep, likewise b and out; within a matrix the strides
 * of gemmSimd.ts (contiguous row-major unless given).
 */
export interface GemmBatch {
  aBase: number;
  bBase: number;
  outBase: number;
  aStep: number;
  bStep: number;
  /** Default m·n·4: the outputs one after another. */
  outStep?: number;
  heads?: number;
  aHeadStep?: number;
  bHeadStep?: number;
  outHeadStep?: number;
  m: number;
  k: number;
  n: number;
  aRow?: number;
  aInner?: number;
  bRow?: number;
  outRow?: number;
  variant?: GemmVariant;
  aScale?: number;
  cScale?: number;
  batch: number;
}

/** A job's integer words, in the order the helpers read them. */
const INT_FIELDS = [
  'aBase',
  'bBase',
  'outBase',
  'aStep',
  'bStep',
  'outStep',
  'heads',
  'aHeadStep',
  'bHeadStep',
  'outHeadStep',
  'm',
  'k',
  'n',
  'aRow',
  'aInner',
  'bRow',
  'outRow',
  'variant',
  'batch',
] as const;

/** A batch with every default filled in. */
type Job = Record<(typeof INT_FIELDS)[number] | 'aScale' | 'cScale', number>;

function jobOf(j: GemmBatch): Job {
  return {
    aBase: j.aBase,
    bBase: j.bBase,
    outBase: j.outBase,
    aStep: j.aStep,
    bStep: j.bStep,
    outStep: j.outStep ?? j.m * j.n * 4,
    heads: j.heads ?? 1,
    aHeadStep: j.aHeadStep ?? 0,
    bHeadStep: j.bHeadStep ?? 0,
    outHeadStep: j.outHeadStep ?? 0,
    m: j.m,
    k: j.k,
    n: j.n,
    aRow: j.aRow ?? 4 * j.k,
    aInner: j.aInner ?? 4,
    bRow: j.bRow ?? 4 * j.n,
    outRow: j.outRow ?? 4 * j.n,
    variant: GEMM_FUNCTIONS.indexOf(j.variant ?? 'gemmStrided'),
    batch: j.batch,
    aScale: j.aScale ?? 1,
    cScale: j.cScale ?? 1,
  };
}

/** The integer words of a job, then its two scales (as float32 words). */
const INT_PARAMS = INT_FIELDS.length;

/** Matrices claimed at a time: few enough claims, small enough tails (128×32·32×128 ≈ 50 µs). */
const CHUNK = 4;
/** Helpers at most (tfjs's own pthread limit is 8 threads). */
const MAX_HELPERS = 7;

// Control words (Int32Array indices). Addresses are stored as int32 bits and read back `>>> 0`.
const JOB = 0;
const NEXT = 1;
const FAILED = 2;
const HELPED = 3; // matrices the helpers have done, for the tests
const PARAMS = 4; // the Job's fields in order: INT_PARAMS integers, then aScale, cScale
const HELPER_WORDS = 32; // helper h: JOIN at 32 + 2h, DONE at 33 + 2h
const CONTROL_WORDS = HELPER_WORDS + 2 * MAX_HELPERS;

/** The helper's loop, run with `eval` so the worker needs no file of its own. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, control, join, done, names } = workerData;
const c = new Int32Array(control);
const scales = new Float32Array(control);
const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const functions = names.map((name) => exports[name]);
let seen = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  seen = job;
  if (job === -1) break;
  if (Atomics.compareExchange(c, join, job - 1, job) !== job - 1) continue; // the caller closed it
  try {
    const p = [];
    for (let i = 0; i < ${INT_PARAMS}; i++) p.push(Atomics.load(c, ${PARAMS} + i) >>> 0);
    const [${INT_FIELDS.join(', ')}] = p;
    const aScale = scales[${PARAMS + INT_PARAMS}];
    const cScale = scales[${PARAMS + INT_PARAMS + 1}];
    const gemm = functions[variant];
    for (;;) {
      const from = Atomics.add(c, ${NEXT}, ${CHUNK});
      if (from >= batch) break;
      const to = Math.min(batch, from + ${CHUNK});
      Atomics.add(c, ${HELPED}, to - from);
      for (let i = from; i < to; i++) {
        const o = Math.floor(i / heads);
        const h = i - o * heads;
        gemm(aBase + o * aStep + h * aHeadStep, bBase + o * bStep + h * bHeadStep,
          outBase + o * outStep + h * outHeadStep, m, k, n, aRow, aInner, bRow, outRow, aScale, cScale);
      }
    }
  } catch (error) {
    Atomics.store(c, ${FAILED}, 1);
  }
  Atomics.store(c, done, job);
  Atomics.notify(c, done);
}
`;

interface Team {
  control: Int32Array;
  /** The same words as float32, for the job's scales. */
  scales: Float32Array;
  helpers: number;
  job: number;
}

/** A team per backend memory; null where helpers cannot run (one thread, unshared memory). */
const teams = new WeakMap<object, Team | null>();

function startTeam(backend: WasmBackend): Team | null {
  const helpers = Math.min(MAX_HELPERS, backend.wasm.tfjs.getThreadsCount() - 1);
  const memory = memoryOf(backend);
  if (
    helpers < 1 ||
    memory === null ||
    typeof SharedArrayBuffer !== 'function' ||
    !(memory.buffer instanceof SharedArrayBuffer)
  ) {
    return null;
  }
  const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  const bytes = heapModuleBytes(GEMM_MODULE, true);
  try {
    for (let h = 0; h < helpers; h++) {
      const worker = new Worker(HELPER_SOURCE, {
        eval: true,
        workerData: {
          memory,
          bytes,
          control: control.buffer,
          join: HELPER_WORDS + 2 * h,
          done: HELPER_WORDS + 2 * h + 1,
          names: GEMM_FUNCTIONS,
        },
      });
      // Blocked in Atomics.wait between jobs; it must not keep the process alive.
      worker.unref();
    }
  } catch {
    return null;
  }
  return { control, scales: new Float32Array(control.buffer), helpers, job: 0 };
}

function teamOf(backend: WasmBackend): Team | null {
  let team = teams.get(backend.wasm);
  if (team === undefined) {
    team = startTeam(backend);
    teams.set(backend.wasm, team);
  }
  return team;
}

let helpersEnabled = true;

/** Tests compare the batch on one thread with the batch shared out. */
export function setGemmHelpersEnabled(on: boolean): void {
  helpersEnabled = on;
}

/** Matrices the helper threads of `backend` have multiplied so far (0 without helpers). */
export function helpedMatrices(backend: WasmBackend): number {
  const team = teams.get(backend.wasm);
  return team ? Atomics.load(team.control, HELPED) : 0;
}

/** The batch's i-th product, on the calling thread. */
function gemmAt(ops: GemmOps, j: Job, i: number): void {
  const o = Math.floor(i / j.heads);
  const h = i - o * j.heads;
  ops.strided[GEMM_FUNCTIONS[j.variant] as GemmVariant](
    j.aBase + o * j.aStep + h * j.aHeadStep,
    j.bBase + o * j.bStep + h * j.bHeadStep,
    j.outBase + o * j.outStep + h * j.outHeadStep,
    j.m,
    j.k,
    j.n,
    j.aRow,
    j.aInner,
    j.bRow,
    j.outRow,
    j.aScale,
    j.cScale,
  );
}

function claimLoop(ops: GemmOps, c: Int32Array, j: Job): void {
  for (;;) {
    const from = Atomics.add(c, NEXT, CHUNK);
    if (from >= j.batch) return;
    const to = Math.min(j.batch, from + CHUNK);
    for (let i = from; i < to; i++) gemmAt(ops, j, i);
  }
}

/** Runs every product of `batch`, shared with the helper threads where there are any. */
export function gemmBatch(backend: WasmBackend, ops: GemmOps, batch: GemmBatch): void {
  const j = jobOf(batch);
  const team = j.batch > CHUNK && helpersEnabled ? teamOf(backend) : null;
  if (team === null) {
    for (let i = 0; i < j.batch; i++) gemmAt(ops, j, i);
    return;
  }
  const c = team.control;
  const job = ++team.job; // 2³¹ jobs would take years
  INT_FIELDS.forEach((field, i) => Atomics.store(c, PARAMS + i, j[field] | 0));
  team.scales[PARAMS + INT_PARAMS] = j.aScale;
  team.scales[PARAMS + INT_PARAMS + 1] = j.cScale;
  Atomics.store(c, NEXT, 0);
  Atomics.store(c, JOB, job);
  Atomics.notify(c, JOB);
  claimLoop(ops, c, j);
  for (let h = 0; h < team.helpers; h++) {
    const join = HELPER_WORDS + 2 * h;
    // Close the job for a helper that has not joined; wait for one that has.
    if (Atomics.compareExchange(c, join, job - 1, job) === job - 1) continue;
    for (let done = Atomics.load(c, join + 1); done !== job; done = Atomics.load(c, join + 1)) {
      Atomics.wait(c, join + 1, done);
    }
  }
  if (Atomics.exchange(c, FAILED, 0) !== 0) {
    throw new Error('gemm helper thread failed on a batch');
  }
}
