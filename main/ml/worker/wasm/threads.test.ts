import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveBackend } from '../backend';
import { seededValues, wasmVersusCpu } from '../testing/kernels';
import { prepareWasmThreads, wasmThreadCount, wasmThreadsSupported } from './threads';

describe('the threaded wasm build under Node', () => {
  const saved = process.env.STUDIO_WASM_THREADS;
  beforeAll(() => {
    // Two threads even on a one-CPU machine: the point is that the threaded build runs here.
    process.env.STUDIO_WASM_THREADS = '2';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.STUDIO_WASM_THREADS;
    else process.env.STUDIO_WASM_THREADS = saved;
  });

  it('reads the thread count from STUDIO_WASM_THREADS, 1 turning threads off', () => {
    expect(wasmThreadCount({ STUDIO_WASM_THREADS: '1' })).toBe(1);
    expect(wasmThreadCount({ STUDIO_WASM_THREADS: '3' })).toBe(wasmThreadsSupported() ? 3 : 1);
    expect(wasmThreadCount({})).toBeLessThanOrEqual(Math.max(1, os.availableParallelism()));
  });

  it('puts back everything it patches for the start-up', () => {
    const before = [globalThis.Blob, URL.createObjectURL, os.cpus];
    const undo = prepareWasmThreads(2);
    expect(os.cpus()).toHaveLength(4);
    undo();
    expect([globalThis.Blob, URL.createObjectURL, os.cpus]).toEqual(before);
  });

  it('starts with two threads through the backend resolver, and the kernels agree with cpu', async () => {
    if (!wasmThreadsSupported()) return;
    const report = await resolveBackend();
    expect(report.active).toBe('wasm');
    expect(report.threads).toBe(2);

    // Large enough that XNNPACK splits the work between the threads.
    const x = seededValues(8 * 14 * 14 * 32, 1);
    const w = seededValues(4 * 4 * 32 * 64, 2);
    const a = seededValues(300 * 200, 3);
    const error = await wasmVersusCpu(() => {
      const input = tf.tensor4d(x, [8, 14, 14, 32]);
      const kernel = tf.tensor4d(w, [4, 4, 32, 64]);
      const grads = tf.grads((i: tf.Tensor, k: tf.Tensor) =>
        tf
          .conv2d(i as tf.Tensor4D, k as tf.Tensor4D, 2, 'same')
          .square()
          .sum(),
      )([input, kernel]);
      const m = tf.tensor2d(a, [300, 200]);
      return [...grads, tf.matMul(m, m, true, false)];
    });
    expect(error).toBeLessThan(1e-4);
  });
});
