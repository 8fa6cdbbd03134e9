import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { attentionByOps, causalMask, causalSelfAttention } from '../models/transformerOps';
import { runOn, seededTensor, wasmVersusCpu, wasmWithStudioKernels } from '../testing/kernels';
import { charGptLossesWithAndWithout } from '../testing/trainingLosses';
import {
  ATTENTION_INPUT_GRAD,
  ATTENTION_SCORES,
  ATTENTION_SCORES_GRAD,
  ATTENTION_VALUES,
  attentionFits,
} from './attention';
import { wasmBackendOf } from './wasmHeap';

const KERNELS = [ATTENTION_SCORES, ATTENTION_VALUES, ATTENTION_SCORES_GRAD, ATTENTION_INPUT_GRAD];

// Shapes on the compiled product's tiles: one head, several, and enough (batch × heads) matrices
// for the gemm helper threads to take some.
const SHAPES: [b: number, t: number, heads: number, d: number][] = [
  [1, 8, 1, 8],
  [2, 16, 3, 8],
  [4, 24, 4, 16],
];

/** The attention's output and its qkv gradient under a loss weighing each output differently. */
function valueAndGradient(
  attention: typeof causalSelfAttention,
  [b, t, heads, d]: [number, number, number, number],
  seed: number,
) {
  return () => {
    const qkv = seededTensor([b, t, 3 * heads * d], seed) as tf.Tensor3D;
    const weights = seededTensor([b, t, heads * d], seed + 1);
    const mask = causalMask(t);
    const loss = (x: tf.Tensor) =>
      attention(x as tf.Tensor3D, heads, mask)
        .mul(weights)
        .sum();
    const { value, grad } = tf.valueAndGrad(loss)(qkv);
    return [attention(qkv, heads, mask), value, grad];
  };
}

describe('the attention kernels', () => {
  beforeAll(wasmWithStudioKernels);

  it('take the shapes here (else only the op path would be tested)', async () => {
    await wasmWithStudioKernels();
    const registered = (name: string) => tf.getKernel(name, 'wasm') !== undefined;
    for (const [, t, , d] of SHAPES) {
      expect(attentionFits(wasmBackendOf(tf.backend()), registered, t, d)).toBe(true);
    }
    expect(attentionFits(wasmBackendOf(tf.backend()), registered, 7, 8)).toBe(false);
  });

  it.each(SHAPES)(
    '[%i, %i] × %i heads of %i: the same bits as the op path on wasm',
    async (...s) => {
      const expected = await runOn('wasm', valueAndGradient(attentionByOps, s, 1));
      const actual = await runOn('wasm', valueAndGradient(causalSelfAttention, s, 1));
      actual.forEach((a, k) => expect(a.values).toEqual(expected[k]?.values));
    },
  );

  it.each(SHAPES)('[%i, %i] × %i heads of %i: match the cpu backend', async (...s) => {
    expect(await wasmVersusCpu(valueAndGradient(causalSelfAttention, s, 2))).toBeLessThan(1e-5);
  });

  it('run four kernels and no transpose, split or concat', async () => {
    await wasmWithStudioKernels();
    const info = await tf.profile(() =>
      tf.tidy(valueAndGradient(causalSelfAttention, [2, 8, 2, 8], 3)),
    );
    const names = info.kernels.map((k) => k.name);
    for (const name of KERNELS) expect(names).toContain(name);
    for (const name of ['Transpose', 'SplitV', 'Concat']) expect(names).not.toContain(name);
  });

  it('leave a seeded char-GPT training run the same to the bit', async () => {
    await wasmWithStudioKernels();
    const { fused, byOps } = charGptLossesWithAndWithout(KERNELS, { layers: 2, seed: 5 });
    expect(byOps).toEqual(fused);
    expect(fused.every(Number.isFinite)).toBe(true);
  });
});
