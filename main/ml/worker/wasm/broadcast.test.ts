import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  differingBits,
  relativeError,
  runOn,
  seededTensor,
  seededValues,
  wasmWithStudioKernels,
} from '../testing/kernels';
import { setBroadcastOpsEnabled } from './broadcastSimd';

/** Each op both ways round, so the vector-first subtraction is covered too. */
const both = (x: tf.Tensor, v: tf.Tensor): tf.Tensor[] => [
  tf.add(x, v),
  tf.add(v, x),
  tf.sub(x, v),
  tf.sub(v, x),
  tf.mul(x, v),
  tf.mul(v, x),
];

describe('Add, Sub, Multiply, Square and LeakyRelu through the compiled rows', () => {
  beforeAll(wasmWithStudioKernels);

  it.each([
    // dcgan's bias and batch-norm shapes, a [1, 1, 1, C] vector, rows not a multiple of the
    // shared block, and a row wider than a block.
    [[64, 14, 14, 32], [32]],
    [
      [8, 5, 5, 12],
      [1, 1, 1, 12],
    ],
    [[1000, 4], [4]],
    [[3, 9000], [9000]],
    // blocks repeated along the leading axes: an attention mask [T, T] against [B, h, T, T]
    // scores, and a [1, 2, 8] block against [3, 2, 8]
    [
      [4, 2, 16, 16],
      [16, 16],
    ],
    [
      [3, 2, 8],
      [1, 2, 8],
    ],
  ])(
    '%j with %j: the same bits as the cpu backend and the stock kernels',
    async (xShape, vShape) => {
      const compute = () => both(seededTensor(xShape, 1), seededTensor(vShape, 2));
      const cpu = await runOn('cpu', compute);
      const ours = await runOn('wasm', compute);
      setBroadcastOpsEnabled(false);
      const stock = await runOn('wasm', compute).finally(() => setBroadcastOpsEnabled(true));
      ours.forEach((o, i) => {
        expect(o.shape).toEqual(xShape);
        expect(differingBits(o.values, (cpu[i] as { values: Float32Array }).values)).toBe(0);
        expect(differingBits(o.values, (stock[i] as { values: Float32Array }).values)).toBe(0);
      });
    },
  );

  it('leaves other shapes to the stock kernels, with their results', async () => {
    // C not a multiple of 4, a vector along another axis, same shapes, a scalar, int32.
    const compute = () => [
      tf.add(seededTensor([6, 7], 3), seededTensor([7], 4)),
      tf.mul(seededTensor([6, 8], 5), seededTensor([6, 1], 6)),
      tf.sub(seededTensor([6, 8], 7), seededTensor([6, 8], 8)),
      tf.add(seededTensor([6, 8], 9), tf.scalar(0.5)),
      tf.add(tf.tensor([[1, 2, 3, 4]], [1, 4], 'int32'), tf.tensor([5, 6, 7, 8], [4], 'int32')),
    ];
    const cpu = await runOn('cpu', compute);
    const ours = await runOn('wasm', compute);
    ours.forEach((o, i) => {
      const c = cpu[i] as { shape: number[]; values: Float32Array };
      expect(o.shape).toEqual(c.shape);
      expect(Array.from(o.values)).toEqual(Array.from(c.values));
    });
  });

  it.each([[[64, 14, 14, 32]], [[3, 8196]], [[5, 7]], [[4]]])(
    'same-shape ops, Square, LeakyRelu and its gradient of %j (signed zeros included): the bits of stock',
    async (shape) => {
      // Every fifth value an exact zero, the sign alternating.
      const values = seededValues(
        shape.reduce((a, b) => a * b, 1),
        3,
      ).map((v, i) => (i % 5 === 0 ? (i % 10 === 0 ? 0 : -0) : v));
      const compute = () => {
        const x = tf.tensor(values, shape);
        const y = seededTensor(shape, 4);
        return [
          x.add(y),
          x.sub(y),
          y.sub(x),
          x.mul(y),
          x.square(),
          tf.leakyRelu(x, 0.2),
          tf.leakyRelu(y, 0.01),
          // StudioLeakyReluGrad: (x > 0 ? 1 : α) · dy, zeros of both signs taking α.
          tf.grad((v: tf.Tensor) => tf.leakyRelu(v, 0.2).mul(y).sum())(x),
        ];
      };
      const cpu = await runOn('cpu', compute);
      const ours = await runOn('wasm', compute);
      setBroadcastOpsEnabled(false);
      const stock = await runOn('wasm', compute).finally(() => setBroadcastOpsEnabled(true));
      ours.forEach((o, i) => {
        const c = cpu[i] as { values: Float32Array };
        expect(o.shape).toEqual(shape);
        expect(differingBits(o.values, (stock[i] as { values: Float32Array }).values)).toBe(0);
        // The cpu backend's LeakyRelu multiplies by α in float64 (not float32's α): close only.
        if (i < 5) expect(differingBits(o.values, c.values)).toBe(0);
        else expect(relativeError(o.values, c.values)).toBeLessThan(1e-6);
      });
    },
  );
});
