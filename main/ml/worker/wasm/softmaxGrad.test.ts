import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { differingBits, runOn, seededTensor, wasmWithStudioKernels } from '../testing/kernels';
import { charGptLossesWithAndWithout } from '../testing/trainingLosses';
import { setRowReduceOpsEnabled } from './rowReduceSimd';
import { SOFTMAX_GRAD } from './softmaxGrad';

// [rows…, width]: chargpt's attention weights in small, rows that are not a multiple of 4, three
// items of the helper threads' size (512 rows of 128 bytes; run here one after another, each from
// its own stepped arguments) and rows left over, a width the compiled pass does not take, one row.
const SHAPES = [
  [2, 2, 8, 8],
  [7, 12],
  [1600, 32],
  [5, 6],
  [1, 4],
];

/** y a softmax (rows summing to 1) and dy a gradient, both seeded. */
function inputs(shape: number[]): [tf.Tensor, tf.Tensor] {
  return [tf.softmax(seededTensor(shape, 1).mul(3)), seededTensor(shape, 2)];
}

const byOps = (shape: number[]) => () => {
  const [y, dy] = inputs(shape);
  return y.mul(dy.sub(dy.mul(y).sum(-1, true)));
};

const byKernel = (shape: number[]) => () => {
  const [y, dy] = inputs(shape);
  return tf.engine().runKernel(SOFTMAX_GRAD, { dy, y }, {}) as tf.Tensor;
};

describe('the fused softmax gradient', () => {
  beforeAll(wasmWithStudioKernels);

  it('leaves a seeded char-GPT training run the same to the bit', async () => {
    await wasmWithStudioKernels();
    const { fused, byOps } = charGptLossesWithAndWithout([SOFTMAX_GRAD], { layers: 2, seed: 6 });
    expect(byOps).toEqual(fused);
    expect(fused.every(Number.isFinite)).toBe(true);
  });

  describe.each([
    ['compiled pass', true],
    ['JS loop', false],
  ])('with the %s', (_, compiled) => {
    it.each(SHAPES)('%j: the same bits as y·(dy − Σ dy·y) op by op on wasm', async (...shape) => {
      const [expected] = await runOn('wasm', byOps(shape));
      setRowReduceOpsEnabled(compiled);
      try {
        const [actual] = await runOn('wasm', byKernel(shape));
        expect(actual?.shape).toEqual(shape);
        expect(differingBits(actual?.values ?? [], expected?.values ?? [])).toBe(0);
      } finally {
        setRowReduceOpsEnabled(true);
      }
    });
  });

  it('refuses inputs of two shapes', async () => {
    await wasmWithStudioKernels();
    const run = () =>
      tf.tidy(() =>
        tf.engine().runKernel(SOFTMAX_GRAD, { dy: tf.ones([2, 4]), y: tf.ones([4, 2]) }),
      );
    expect(run).toThrow(/dy 2,4 against y 4,2/);
  });
});
