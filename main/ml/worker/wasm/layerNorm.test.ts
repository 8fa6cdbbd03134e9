import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerNorm, layerNormByOps } from '../models/transformerOps';
import {
  differingBits,
  relativeError,
  runOn,
  seededValues,
  wasmWithStudioKernels,
} from '../testing/kernels';
import { charGptLossesWithAndWithout } from '../testing/trainingLosses';
import { LAYER_NORM, LAYER_NORM_GRAD } from './layerNorm';
import { rowReduceOps, setRowReduceOpsEnabled } from './rowReduceSimd';
import { wasmBackendOf } from './wasmHeap';

// [rows…, width]: blocks of four rows with and without single rows after them, three items of the
// helper threads' size (512 rows of 128 bytes, 1365 of 48: items run here one after another, each
// from its own stepped arguments) and rows left over, a width the compiled passes do not take
// (not a multiple of 4), and one row.
const SHAPES = [
  [8, 16],
  [2, 7, 12],
  [1600, 32],
  [4100, 12],
  [5, 10],
  [1, 4],
];

/** The layer norm's value, and the gradients of x, gain and bias under a weighted loss. */
function valueAndGradients(norm: typeof layerNorm, shape: number[], seed: number): tf.Tensor[] {
  const width = shape[shape.length - 1] ?? 1;
  const size = shape.reduce((a, b) => a * b, 1);
  // An offset and a spread per row, so the mean and the variance both matter.
  const x = tf.tensor(
    seededValues(size, seed).map((v, i) => 3 * v + ((i / width) % 5) - 2),
    shape,
  );
  const gain = tf.tensor1d(seededValues(width, seed + 1).map((v) => 1 + v / 2));
  const bias = tf.tensor1d(seededValues(width, seed + 2));
  const weights = tf.tensor(seededValues(size, seed + 3), shape);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) =>
    norm(a, g as tf.Tensor1D, b as tf.Tensor1D)
      .mul(weights)
      .sum(),
  )([x, gain, bias]);
  return [norm(x, gain, bias), value, ...grads];
}

describe('the fused layer norm kernels', () => {
  beforeAll(wasmWithStudioKernels);

  it('builds the compiled passes here (else only the JS loops would be tested)', async () => {
    await wasmWithStudioKernels();
    expect(rowReduceOps(wasmBackendOf(tf.backend()))).not.toBeNull();
  });

  it('leaves a seeded char-GPT training run the same to the bit', async () => {
    await wasmWithStudioKernels();
    const { fused, byOps } = charGptLossesWithAndWithout([LAYER_NORM, LAYER_NORM_GRAD]);
    expect(byOps).toEqual(fused);
    expect(fused.every(Number.isFinite)).toBe(true);
  });

  describe.each([
    ['compiled passes', true],
    ['JS loops', false],
  ])('with the %s', (_, compiled) => {
    it.each(SHAPES)('%j: the same bits as the op-by-op layer norm on wasm', async (...shape) => {
      const expected = await runOn('wasm', () => valueAndGradients(layerNormByOps, shape, 1));
      setRowReduceOpsEnabled(compiled);
      try {
        const actual = await runOn('wasm', () => valueAndGradients(layerNorm, shape, 1));
        expect(actual).toHaveLength(5);
        actual.forEach((a, k) =>
          expect(differingBits(a.values, expected[k]?.values ?? [])).toBe(0),
        );
      } finally {
        setRowReduceOpsEnabled(true);
      }
    });
  });

  it.each(SHAPES)('%j: value and gradients match the cpu backend', async (...shape) => {
    const expected = await runOn('cpu', () => valueAndGradients(layerNormByOps, shape, 2));
    const actual = await runOn('wasm', () => valueAndGradients(layerNorm, shape, 2));
    actual.forEach((a, k) => {
      expect(relativeError(a.values, expected[k]?.values ?? new Float32Array())).toBeLessThan(1e-4);
    });
  });

  it('takes one kernel forward and one backward on wasm', async () => {
    await wasmWithStudioKernels();
    const [x, gain, bias] = [tf.randomNormal([6, 8]), tf.ones([8]), tf.zeros([8])];
    const info = await tf.profile(() =>
      tf.tidy(() =>
        tf.grad((t: tf.Tensor) => layerNorm(t, gain as tf.Tensor1D, bias as tf.Tensor1D).sum())(x),
      ),
    );
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === LAYER_NORM)).toHaveLength(1);
    expect(names.filter((n) => n === LAYER_NORM_GRAD)).toHaveLength(1);
    expect(names).not.toContain('Mean');
    expect(names).not.toContain('Rsqrt');
    tf.dispose([x, gain, bias]);
  });
});
