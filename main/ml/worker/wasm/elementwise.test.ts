import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues, wasmVersusCpu, wasmWithStudioKernels } from '../testing/kernels';

const tensor = (shape: number[], seed: number, scale = 1) =>
  tf.tensor(
    seededValues(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ).map((v) => v * scale),
    shape,
  );

describe('studio wasm elementwise and reduction kernels match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it('LeakyRelu and its gradient (including at exactly 0)', async () => {
    const error = await wasmVersusCpu(() => {
      const x = tf.concat([tensor([3, 5, 8], 1).reshape([-1]), tf.zeros([4])]);
      const f = (v: tf.Tensor) =>
        tf
          .leakyRelu(v, 0.2)
          .mul(tensor([124], 2))
          .sum();
      return [tf.leakyRelu(tensor([2, 7, 9], 3), 0.2), tf.leakyRelu(x, 0.01), tf.grad(f)(x)];
    });
    expect(error).toBeLessThan(1e-6);
  });

  it('Tanh over a wide range, tiny values included, and its gradient', async () => {
    const error = await wasmVersusCpu(() => {
      const x = tf.concat([
        tensor([500], 4, 6),
        tensor([50], 5, 1e-5),
        tf.tensor1d([0, 20, -20, 1e-30]),
      ]);
      return [tf.tanh(x), tf.grad((v: tf.Tensor) => tf.tanh(v).sum())(x)];
    });
    expect(error).toBeLessThan(1e-6);
  });

  it.each([
    [[400, 7], [0]],
    [
      [6, 5, 4, 3],
      [0, 1, 2],
    ],
    [[3000, 2], 0],
    [
      [6, 5, 4],
      [0, 1, 2],
    ],
    [[6, 5, 4], [1]],
    [[6, 5, 4], [-1]],
    // One row: XNNPACK's pooling refuses a window of 1, so the JS loop takes it.
    [[1, 5], [0]],
    // A long pooling window: the sum of 40 000 rows stays within the tolerance.
    [[40000, 3], [0]],
    // Rows wider than the pooling path takes (its stack buffer would overflow): the JS loop.
    // More than 9 rows, or XNNPACK's single-pass pooling would never touch the stack.
    [[16, 20000], [0]],
  ])(
    'Sum and Mean of %j over %j (leading axes, and others via the stock kernels)',
    async (shape, axis) => {
      const error = await wasmVersusCpu(() => {
        const x = tensor(shape, 6);
        return [tf.sum(x, axis), tf.mean(x, axis), tf.sum(x, axis, true), tf.mean(x, axis, true)];
      });
      expect(error).toBeLessThan(1e-5);
    },
  );

  it('leaves rows wider than 4096 floats off XNNPACK pooling, whose row buffer is on the stack', async () => {
    await wasmWithStudioKernels();
    const wasm = (tf.backend() as unknown as { wasm: Record<string, unknown> }).wasm;
    const pool = wasm._AvgPool as (...args: unknown[]) => unknown;
    const widths: number[] = [];
    wasm._AvgPool = function (this: unknown, ...args: unknown[]) {
      widths.push(args[12] as number); // the pooled channels: the row width
      return pool.apply(this, args);
    };
    try {
      tf.tidy(() => {
        tf.sum(tensor([16, 4096], 12), 0).dataSync();
        tf.sum(tensor([16, 4097], 13), 0).dataSync();
      });
    } finally {
      wasm._AvgPool = pool;
    }
    expect(widths).toEqual([4096]);
  });

  it('Identity shares memory but tensors stay independent', async () => {
    await wasmWithStudioKernels();
    const counts = tf.tidy(() => {
      const x = tensor([4, 4], 7);
      const y = tf.clone(x);
      x.dispose();
      return Array.from(y.dataSync());
    });
    const expected = Array.from(seededValues(16, 7));
    expect(counts).toEqual(expected);
  });

  it('batch-norm style training step: moments, normalisation and their gradients', async () => {
    const error = await wasmVersusCpu(() => {
      const x = tensor([8, 5, 5, 6], 8);
      const gamma = tensor([6], 9);
      const beta = tensor([6], 10);
      const f = (v: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(v, [0, 1, 2]);
        // Weighted by fixed noise: the plain sum of squares of a normalised tensor is constant,
        // and its gradient is all cancellation.
        return tf
          .batchNorm(v, mean, variance, b, g, 1e-5)
          .mul(tensor([8, 5, 5, 6], 11))
          .sum();
      };
      return tf.grads(f)([x, gamma, beta]);
    });
    expect(error).toBeLessThan(1e-4);
  });
});
