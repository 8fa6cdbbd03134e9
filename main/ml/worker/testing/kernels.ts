// Helpers for the kernel tests: run the same computation on the pure-JS `cpu` backend (the
// reference) and on wasm with the studio kernels, from the same seeded inputs.

import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { productsFuseMultiplyAdd, setProductsFuseMultiplyAdd } from '../wasm/fusedMultiplyAdd';
import { registerStudioWasmKernels } from '../wasm/registerKernels';

interface WasmPackage {
  setWasmPaths(prefix: string): void;
  setThreadsCount(threads: number): void;
}

let ready: Promise<void> | null = null;

/** Loads the wasm backend (one thread) with the studio kernels; the cpu backend stays available. */
export function wasmWithStudioKernels(): Promise<void> {
  ready ??= (async () => {
    const req = createRequire(import.meta.url);
    const wasm = req('@tensorflow/tfjs-backend-wasm') as WasmPackage;
    const dir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
    wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
    wasm.setThreadsCount(1);
    registerStudioWasmKernels();
    if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not start');
  })();
  return ready;
}

/** Deterministic values in [−1, 1) (a small LCG: tests must not depend on a backend's RNG). */
export function seededValues(size: number, seed: number): Float32Array {
  const values = new Float32Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = state / 2 ** 31 - 1;
  }
  return values;
}

/** Runs `compute` on `backend`, returning every output's values; tensors are freed. */
/** A tensor of `seededValues`: the same values for the same shape and seed on every backend. */
export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}

/** One matrix product to compare across backends: operand shapes and which are transposed. */
export interface MatMulCase {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

/** `it.each` rows for matrix-product cases: a readable name ("[2,3]ᵀ · [2,4]"), the case, its index. */
export function namedMatMulCases(cases: MatMulCase[]): (readonly [string, MatMulCase, number])[] {
  const shape = (dims: number[], transposed: boolean) =>
    `${JSON.stringify(dims)}${transposed ? 'ᵀ' : ''}`;
  return cases.map(
    (c, i) => [`${shape(c.a, c.transposeA)} · ${shape(c.b, c.transposeB)}`, c, i] as const,
  );
}

export async function runOn(
  backend: 'cpu' | 'wasm',
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const outputs = tf.tidy(compute);
  const list = Array.isArray(outputs) ? outputs : [outputs];
  try {
    return list.map((t) => ({ shape: t.shape, values: Float32Array.from(t.dataSync()) }));
  } finally {
    tf.dispose(list);
  }
}

/**
 * How many values differ in their bits (NaN and −0 included, and every value one side lacks):
 * a count, not a diff of 500k values.
 */
export function differingBits(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let count = Math.abs(x.length - y.length);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (!Object.is(x[i], y[i])) count++;
  return count;
}

/** max |actual − expected| / max(max |expected|, 1e-6): one number per comparison. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (!Number.isFinite(a)) return Infinity;
    diff = Math.max(diff, Math.abs(a - e));
    scale = Math.max(scale, Math.abs(e));
  }
  return diff / scale;
}

/**
 * Runs `compute` on cpu and on wasm and returns the worst relative error over its outputs, after
 * checking that the shapes agree.
 */
export async function wasmVersusCpu(compute: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const expected = await runOn('cpu', compute);
  const actual = await runOn('wasm', compute);
  let worst = 0;
  expected.forEach((e, i) => {
    const a = actual[i];
    if (a === undefined || a.shape.join() !== e.shape.join()) {
      throw new Error(`shape ${String(a?.shape)} on wasm, ${String(e.shape)} on cpu`);
    }
    worst = Math.max(worst, relativeError(a.values, e.values));
  });
  return worst;
}

/**
 * `run` with the compiled products fused or not (wasm/fusedMultiplyAdd.ts), the setting put back
 * as it was afterwards, even when `run` throws.
 */
export async function withProductsFused<T>(on: boolean, run: () => T | Promise<T>): Promise<T> {
  const before = productsFuseMultiplyAdd();
  setProductsFuseMultiplyAdd(on);
  try {
    return await run();
  } finally {
    setProductsFuseMultiplyAdd(before);
  }
}
