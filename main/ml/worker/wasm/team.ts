// The helper-thread team: compiled heap functions (gemmSimd.ts, stridedCopy.ts, broadcastSimd.ts,
// rowReduceSimd.ts, geluSimd.ts) run on more than one thread.
//
// XNNPACK's operators run on the wasm backend's pthreadpool, which lives inside the Emscripten
// module and takes only the module's own C entry points: a module compiled here runs on the
// thread that calls it, so its loops kept one core busy while the other idled (cpu/wall ≈ 1.0 in
// profile:train). The threaded build's memory is a shared WebAssembly.Memory, though, which can be
// posted to a worker_thread: each helper thread instantiates the same modules on that memory and
// takes items of a batch alongside the calling thread.
//
// A batch is one compiled function called once per item i = o·heads + h (heads 1 unless given),
// each integer argument `base + o·step + h·headStep` (constants have no steps), the float
// arguments after them. Hand-off is through a small SharedArrayBuffer, never the event loop (the
// caller blocks inside a kernel): the caller writes the job, bumps JOB and notifies; every thread,
// the caller included, claims `chunk` items at a time from NEXT until the batch is gone, so a
// helper that wakes late or shares its core with another process simply takes fewer. A helper
// joins a job by moving its JOIN word from the previous job to this one; the caller, once out of
// items, does the same for each helper that has not joined, so it never waits for one that took
// nothing, and waits (on DONE) only for those still inside a chunk. The items must write disjoint
// memory; each is the same call whichever thread runs it, so the result has the same bits as on
// one thread.

import { Worker } from 'node:worker_threads';
import { BROADCAST_MODULE } from './broadcastSimd';
import { GELU_MODULE } from './geluSimd';
import { gemmModule } from './gemmSimd';
import { heapModuleBytes, memoryOf, specOf, type HeapModuleSource } from './heapModule';
import { IM2COL_MODULE } from './im2colSimd';
import { ROW_REDUCE_MODULE } from './rowReduceSimd';
import { STRIDED_MODULE } from './stridedCopy';
import type { WasmBackend } from './wasmHeap';

/** Every module the helpers instantiate; a job names one of their functions. */
const TEAM_MODULES: readonly HeapModuleSource[] = [
  gemmModule,
  STRIDED_MODULE,
  BROADCAST_MODULE,
  ROW_REDUCE_MODULE,
  GELU_MODULE,
  IM2COL_MODULE,
];
let teamFunctions: readonly string[] | null = null;
const teamFunctionsOf = (): readonly string[] =>
  (teamFunctions ??= TEAM_MODULES.flatMap((m) => specOf(m).functions.map((f) => f.name)));

/** An integer argument that moves with the item: base + o·step + h·headStep (bytes, say). */
export interface SteppedArg {
  base: number;
  step?: number;
  headStep?: number;
}

export interface TeamBatch {
  /** The compiled function's export name (unique across TEAM_MODULES). */
  fn: string;
  /** Its integer arguments in order: a number is the same for every item. */
  ints: readonly (number | SteppedArg)[];
  /** Its float arguments, after the integers (at most MAX_FLOATS). */
  floats?: readonly number[];
  batch: number;
  heads?: number;
  /** Items claimed at a time (default 4): few enough claims, small enough tails. */
  chunk?: number;
}

/** The calling thread's own instance of the function (the helpers have theirs). */
export type CompiledFunction = (...args: number[]) => unknown;

const MAX_INTS = 13;
const MAX_FLOATS = 2;
/** Helpers at most (tfjs's own pthread limit is 8 threads). */
const MAX_HELPERS = 7;
const DEFAULT_CHUNK = 4;

// Control words (Int32Array indices). Addresses are stored as int32 bits and read back `>>> 0`.
const JOB = 0;
const NEXT = 1;
const FAILED = 2;
const HELPED = 3; // items the helpers have done, for the tests
const FN = 4;
const NINTS = 5;
const NFLOATS = 6;
const HEADS = 7;
const BATCH = 8;
const CHUNK = 9;
const ARGS = 10; // per integer argument: base, step, headStep
const FLOATS = ARGS + 3 * MAX_INTS; // float32 words
const HELPER_WORDS = FLOATS + MAX_FLOATS; // helper h: JOIN at HELPER_WORDS + 2h, DONE after it
const CONTROL_WORDS = HELPER_WORDS + 2 * MAX_HELPERS;

/** The helper's loop, run with `eval` so the worker needs no file of its own. */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { memory, modules, control, join, done } = workerData;
const c = new Int32Array(control);
const f = new Float32Array(control);
const functions = [];
for (const { bytes, names } of modules) {
  const exports = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  for (const name of names) functions.push(exports[name]);
}
let seen = 0;
for (;;) {
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  seen = job;
  if (job === -1) break;
  if (Atomics.compareExchange(c, join, job - 1, job) !== job - 1) continue; // the caller closed it
  try {
    const fn = functions[Atomics.load(c, ${FN})];
    const nInts = Atomics.load(c, ${NINTS});
    const nFloats = Atomics.load(c, ${NFLOATS});
    const heads = Atomics.load(c, ${HEADS});
    const batch = Atomics.load(c, ${BATCH});
    const chunk = Atomics.load(c, ${CHUNK});
    const base = [], step = [], headStep = [];
    for (let k = 0; k < nInts; k++) {
      base.push(Atomics.load(c, ${ARGS} + 3 * k) >>> 0);
      step.push(Atomics.load(c, ${ARGS} + 3 * k + 1) >>> 0);
      headStep.push(Atomics.load(c, ${ARGS} + 3 * k + 2) >>> 0);
    }
    const args = new Array(nInts + nFloats);
    for (let k = 0; k < nFloats; k++) args[nInts + k] = f[${FLOATS} + k];
    for (;;) {
      const from = Atomics.add(c, ${NEXT}, chunk);
      if (from >= batch) break;
      const to = Math.min(batch, from + chunk);
      Atomics.add(c, ${HELPED}, to - from);
      for (let i = from; i < to; i++) {
        const o = Math.floor(i / heads);
        const h = i - o * heads;
        for (let k = 0; k < nInts; k++) args[k] = base[k] + o * step[k] + h * headStep[k];
        fn.apply(null, args);
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
  /** The same words as float32, for the job's floats. */
  floats: Float32Array;
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
  const modules = TEAM_MODULES.map(specOf).map((spec) => ({
    bytes: heapModuleBytes(spec, true),
    names: spec.functions.map((fn) => fn.name),
  }));
  try {
    for (let h = 0; h < helpers; h++) {
      const worker = new Worker(HELPER_SOURCE, {
        eval: true,
        workerData: {
          memory,
          modules,
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
  return { control, floats: new Float32Array(control.buffer), helpers, job: 0 };
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

/** Tests and A/B timing compare a batch on one thread with the batch shared out. */
export function setTeamHelpersEnabled(on: boolean): void {
  helpersEnabled = on;
}

/** Items the helper threads of `backend` have run so far (0 without helpers). */
export function helpedItems(backend: WasmBackend): number {
  const team = teams.get(backend.wasm);
  return team ? Atomics.load(team.control, HELPED) : 0;
}

/** Whether `backend` has helper threads for a batch (so callers can size their items). */
export function teamHelpers(backend: WasmBackend): number {
  if (!helpersEnabled) return 0;
  return teamOf(backend)?.helpers ?? 0;
}

interface Resolved {
  base: number[];
  step: number[];
  headStep: number[];
  floats: readonly number[];
  heads: number;
  batch: number;
  chunk: number;
}

function resolve(job: TeamBatch): Resolved {
  if (job.ints.length > MAX_INTS || (job.floats?.length ?? 0) > MAX_FLOATS) {
    throw new Error(`A team batch takes at most ${MAX_INTS} integer and ${MAX_FLOATS} float args`);
  }
  const arg = (a: number | SteppedArg): SteppedArg => (typeof a === 'number' ? { base: a } : a);
  const ints = job.ints.map(arg);
  return {
    base: ints.map((a) => a.base),
    step: ints.map((a) => a.step ?? 0),
    headStep: ints.map((a) => a.headStep ?? 0),
    floats: job.floats ?? [],
    heads: job.heads ?? 1,
    batch: job.batch,
    chunk: job.chunk ?? DEFAULT_CHUNK,
  };
}

/** The batch's i-th call, on the calling thread. */
function runItem(fn: CompiledFunction, r: Resolved, args: number[], i: number): void {
  const o = Math.floor(i / r.heads);
  const h = i - o * r.heads;
  for (let k = 0; k < r.base.length; k++) {
    args[k] = (r.base[k] as number) + o * (r.step[k] as number) + h * (r.headStep[k] as number);
  }
  fn(...args);
}

/**
 * Runs every item of `job`, shared with the helper threads where there are any; `local` is the
 * calling thread's instance of `job.fn`.
 */
export function runTeamBatch(backend: WasmBackend, local: CompiledFunction, job: TeamBatch): void {
  const r = resolve(job);
  const args = [...r.base, ...r.floats];
  const team = r.batch > r.chunk && helpersEnabled ? teamOf(backend) : null;
  if (team === null) {
    for (let i = 0; i < r.batch; i++) runItem(local, r, args, i);
    return;
  }
  const fnIndex = teamFunctionsOf().indexOf(job.fn);
  if (fnIndex < 0) throw new Error(`${job.fn} is not a function the helper threads have`);
  const c = team.control;
  const id = ++team.job; // 2³¹ jobs would take years
  Atomics.store(c, FN, fnIndex);
  Atomics.store(c, NINTS, r.base.length);
  Atomics.store(c, NFLOATS, r.floats.length);
  Atomics.store(c, HEADS, r.heads);
  Atomics.store(c, BATCH, r.batch);
  Atomics.store(c, CHUNK, r.chunk);
  for (let k = 0; k < r.base.length; k++) {
    Atomics.store(c, ARGS + 3 * k, (r.base[k] as number) | 0);
    Atomics.store(c, ARGS + 3 * k + 1, (r.step[k] as number) | 0);
    Atomics.store(c, ARGS + 3 * k + 2, (r.headStep[k] as number) | 0);
  }
  r.floats.forEach((v, k) => (team.floats[FLOATS + k] = v));
  Atomics.store(c, NEXT, 0);
  Atomics.store(c, JOB, id);
  Atomics.notify(c, JOB);
  for (;;) {
    const from = Atomics.add(c, NEXT, r.chunk);
    if (from >= r.batch) break;
    const to = Math.min(r.batch, from + r.chunk);
    for (let i = from; i < to; i++) runItem(local, r, args, i);
  }
  for (let h = 0; h < team.helpers; h++) {
    const join = HELPER_WORDS + 2 * h;
    // Close the job for a helper that has not joined; wait for one that has.
    if (Atomics.compareExchange(c, join, id - 1, id) === id - 1) continue;
    for (let done = Atomics.load(c, join + 1); done !== id; done = Atomics.load(c, join + 1)) {
      Atomics.wait(c, join + 1, done);
    }
  }
  if (Atomics.exchange(c, FAILED, 0) !== 0) {
    throw new Error(`helper thread failed on a ${job.fn} batch`);
  }
}
