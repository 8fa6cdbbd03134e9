import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { gelu, geluByOps } from '../models/transformerOps';
import { relativeError, runOn, seededValues, wasmWithStudioKernels } from '../testing/kernels';
import { charGptLossesWithAndWithout } from '../testing/trainingLosses';
import { GELU, GELU_GRAD } from './gelu';
import { geluOps, setGeluOpsEnabled } from './geluSimd';
import { wasmBackendOf } from './wasmHeap';

// Whole vectors of 4 with and without a tail, a tail only, and one; more than two items of the
// helper threads' 64 kB (run here one after another, each from its own stepped pointers) and a
// tail.
const SHAPES = [[7], [3, 5], [4, 4, 8], [2, 3, 333], [1], [40001]];

/** GELU's value and its gradient under a loss weighing every output differently. */
function valueAndGradient(f: (x: tf.Tensor) => tf.Tensor, shape: number[], seed: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    seededValues(size, seed).map((v) => 4 * v),
    shape,
  ); // across σ's range
  const weights = tf.tensor(seededValues(size, seed + 1), shape);
  const { value, grad } = tf.valueAndGrad((t: tf.Tensor) => f(t).mul(weights).sum())(x);
  return [f(x), value, grad];
}

describe('the fused GELU kernels', () => {
  beforeAll(wasmWithStudioKernels);

  it('builds the compiled passes here (else only the JS loops would be tested)', async () => {
    await wasmWithStudioKernels();
    expect(geluOps(wasmBackendOf(tf.backend()))).not.toBeNull();
  });

  it('leaves a seeded char-GPT training run the same to the bit', async () => {
    await wasmWithStudioKernels();
    const { fused, byOps } = charGptLossesWithAndWithout([GELU, GELU_GRAD]);
    expect(byOps).toEqual(fused);
    expect(fused.every(Number.isFinite)).toBe(true);
  });

  describe.each([
    ['compiled passes', true],
    ['JS loops', false],
  ])('with the %s', (_, compiled) => {
    it.each(SHAPES)('%j: the same bits as the op-by-op GELU on wasm', async (...shape) => {
      const expected = await runOn('wasm', () => valueAndGradient(geluByOps, shape, 1));
      setGeluOpsEnabled(compiled);
      try {
        const actual = await runOn('wasm', () => valueAndGradient(gelu, shape, 1));
        actual.forEach((a, k) => expect(a.values).toEqual(expected[k]?.values));
      } finally {
        setGeluOpsEnabled(true);
      }
    });
  });

  it.each(SHAPES)('%j: value and gradient match the cpu backend', async (...shape) => {
    const expected = await runOn('cpu', () => valueAndGradient(geluByOps, shape, 2));
    const actual = await runOn('wasm', () => valueAndGradient(gelu, shape, 2));
    actual.forEach((a, k) => {
      expect(relativeError(a.values, expected[k]?.values ?? new Float32Array())).toBeLessThan(1e-5);
    });
  });

  it('takes one kernel forward and one backward on wasm', async () => {
    await wasmWithStudioKernels();
    const x = tf.tensor(seededValues(40, 3), [5, 8]);
    const info = await tf.profile(() => tf.tidy(() => tf.grad((t: tf.Tensor) => gelu(t).sum())(x)));
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === GELU)).toHaveLength(1);
    expect(names.filter((n) => n === GELU_GRAD)).toHaveLength(1);
    expect(names).not.toContain('Sigmoid');
    x.dispose();
  });
});
