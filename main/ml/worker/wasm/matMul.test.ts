import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  seededTensor,
  wasmVersusCpu,
  wasmWithStudioKernels,
  namedMatMulCases,
  type MatMulCase,
} from '../testing/kernels';

const tensor = seededTensor;

type Case = MatMulCase;

const CASES: Case[] = [];
// Every transpose combination for plain, batched and broadcast (1-vs-B on either side) products.
for (const [batchA, batchB] of [
  [[], []],
  [[3], [3]],
  [
    [2, 3],
    [2, 3],
  ],
  [[4], []],
  [[], [4]],
  [[1], [5]],
] as number[][][]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const [m, k, n] = [7, 13, 9];
      CASES.push({
        a: [...(batchA ?? []), ...(transposeA ? [k, m] : [m, k])],
        b: [...(batchB ?? []), ...(transposeB ? [n, k] : [k, n])],
        transposeA,
        transposeB,
      });
    }
  }
}
// Shapes of the reference models' backward passes: a weight gradient with a long inner dimension,
// the attention products, a product with one row.
CASES.push(
  { a: [1100, 96], b: [1100, 40], transposeA: true, transposeB: false },
  { a: [2, 4, 32, 8], b: [2, 4, 32, 8], transposeA: false, transposeB: true },
  { a: [2, 4, 32, 32], b: [2, 4, 32, 8], transposeA: true, transposeB: false },
  { a: [1, 300], b: [300, 17], transposeA: false, transposeB: false },
);

describe('studio wasm BatchMatMul / _FusedMatMul match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it.each(namedMatMulCases(CASES))('BatchMatMul %s', async (_name, c, i) => {
    const error = await wasmVersusCpu(() =>
      tf.matMul(tensor(c.a, 10 + i), tensor(c.b, 20 + i), c.transposeA, c.transposeB),
    );
    expect(error).toBeLessThan(1e-4);
  });

  it.each([
    ['linear', false, false],
    ['relu', false, true],
    ['relu', true, false],
    ['linear', true, true],
  ] as const)(
    '_FusedMatMul with bias, %s, transposeA %s, transposeB %s',
    async (activation, ta, tb) => {
      const error = await wasmVersusCpu(() =>
        tf.fused.matMul({
          a: tensor(ta ? [3, 2, 11, 6] : [3, 2, 6, 11], 1) as tf.Tensor3D,
          b: tensor(tb ? [5, 11] : [11, 5], 2) as tf.Tensor2D,
          transposeA: ta,
          transposeB: tb,
          bias: tensor([5], 3),
          activation,
        }),
      );
      expect(error).toBeLessThan(1e-4);
    },
  );

  it('gives dense-layer gradients that agree (tfjs asks for transposed products)', async () => {
    const error = await wasmVersusCpu(() =>
      tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.matMul(x, w).square().sum())([
        tensor([33, 20], 4),
        tensor([20, 12], 5),
      ]),
    );
    expect(error).toBeLessThan(1e-4);
  });
});
