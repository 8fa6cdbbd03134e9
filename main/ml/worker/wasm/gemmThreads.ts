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
import { GEMM_MODULE, type GemmOps } from './gemmSimd';
import { heapModuleBytes, memoryOf } from './heapModule';
import type { WasmBackend } from './wasmHeap';

/** One batch of products: addresses in bytes; matrix i of a is at aBase + i·aStep, likewise b. */
export interface GemmBatch {
  aBase: number;
  bBase: number;
  outBase: number;
  aStep: number;
  bStep: number;
  m: number;
  k: number;
  n: number;
  batch: number;
}

/** Matrices claimed at a time: few enough claims, small enough tails (128×32·32×128 ≈ 50 µs). */
const CHUNK = 4;
/** Helpers at most (tfjs's own pthread limit is 8 threads). */
const MAX_HELPERS = 7;

// Control words (Int32Array indices). Addresses are stored as int32 bits and read back `>>> 0`.
const JOB = 0;
const NEXT = 1;
const FAILED = 2;
const HELPED = 3; // matrices the helpers have done, for the tests
const PARAMS = 4; // aBase, bBase, outBase, aStep, bStep, m, k, n, batch
const HELPER_WORDS = 16; // helper h: JOIN at 16 + 2h, DONE at 17 + 2h
const CONTROL_WORDS = HELPER_WORDS + 2 * MAX_HELPERS;

/** The helper's loop, run with `eval` so the worker needs no file of its own. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, bytes, control, join, done } = workerData;
const c = new Int32Array(control);
const gemm = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.gemm;
let seen = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  seen = job;
  if (job === -1) break;
  if (Atomics.compareExchange(c, join, job - 1, job) !== job - 1) continue; // the caller closed it
  try {
    const p = [];
    for (let i = 0; i < 9; i++) p.push(Atomics.load(c, ${PARAMS} + i) >>> 0);
    const [aBase, bBase, outBase, aStep, bStep, m, k, n, batch] = p;
    for (;;) {
      const from = Atomics.add(c, ${NEXT}, ${CHUNK});
      if (from >= batch) break;
      const to = Math.min(batch, from + ${CHUNK});
      Atomics.add(c, ${HELPED}, to - from);
      for (let i = from; i < to; i++) gemm(aBase + i * aStep, bBase + i * bStep, outBase + i * m * n * 4, m, k, n);
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
        },
      });
      // Blocked in Atomics.wait between jobs; it must not keep the process alive.
      worker.unref();
    }
  } catch {
    return null;
  }
  return { control, helpers, job: 0 };
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
function gemmAt(ops: GemmOps, j: GemmBatch, i: number): void {
  ops.gemm(
    j.aBase + i * j.aStep,
    j.bBase + i * j.bStep,
    j.outBase + i * j.m * j.n * 4,
    j.m,
    j.k,
    j.n,
  );
}

function claimLoop(ops: GemmOps, c: Int32Array, j: GemmBatch): void {
  for (;;) {
    const from = Atomics.add(c, NEXT, CHUNK);
    if (from >= j.batch) return;
    const to = Math.min(j.batch, from + CHUNK);
    for (let i = from; i < to; i++) gemmAt(ops, j, i);
  }
}

/** Runs every product of `j`, shared with the helper threads where there are any. */
export function gemmBatch(backend: WasmBackend, ops: GemmOps, j: GemmBatch): void {
  const team = j.batch > CHUNK && helpersEnabled ? teamOf(backend) : null;
  if (team === null) {
    for (let i = 0; i < j.batch; i++) gemmAt(ops, j, i);
    return;
  }
  const c = team.control;
  const job = ++team.job; // 2³¹ jobs would take years
  const params = [j.aBase, j.bBase, j.outBase, j.aStep, j.bStep, j.m, j.k, j.n, j.batch];
  params.forEach((value, i) => Atomics.store(c, PARAMS + i, value | 0));
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
