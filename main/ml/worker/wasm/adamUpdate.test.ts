import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Parameter } from '../models/layers';
import { Adam, type AdamOptions } from '../training/optimizer';
import { adamOps, setAdamOpsEnabled } from './adamSimd';
import { ADAM_UPDATE, GLOBAL_NORM } from './adamUpdate';
import { relativeError, seededValues, wasmWithStudioKernels } from '../testing/kernels';
import { wasmBackendOf } from './wasmHeap';

// Whole vectors of 4 with and without a tail, a tail only, and many vectors.
const SHAPES = [[7], [3, 5], [4, 4, 3, 8], [1000], [1], [2, 2]];

const parameters = (seed: number): Parameter[] =>
  SHAPES.map((shape, i) => ({
    name: `p${i}`,
    variable: tf.variable(
      tf.tensor(
        seededValues(
          shape.reduce((a, b) => a * b, 1),
          seed + i,
        ),
        shape,
      ),
    ),
    trainable: true,
    decay: i % 2 === 0, // some decayed (weights), some not (biases)
  }));

/** Gradients of mixed sizes, large enough for clipping at 1 to scale them. */
const gradients = (step: number): tf.Tensor[] =>
  SHAPES.map((shape, i) =>
    tf.tensor(
      seededValues(
        shape.reduce((a, b) => a * b, 1),
        100 * step + i,
      ).map((x) => x * (i + 1)),
      shape,
    ),
  );

/** Three Adam steps on `backend`; every parameter, slot and reported norm, as plain values. */
async function threeSteps(backend: 'cpu' | 'wasm', options: AdamOptions): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const params = parameters(1);
  const adam = new Adam(params, options);
  const norms: number[] = [];
  for (let step = 0; step < 3; step++) {
    tf.tidy(() => {
      const norm = adam.apply(gradients(step), 1 - step * 0.2);
      if (norm !== null) norms.push(norm.dataSync()[0] as number);
    });
  }
  const values = [
    ...params.map((p) => p.variable.dataSync()),
    ...adam.slots('adam').map((s) => s.variable.dataSync()),
  ].map((data) => Float32Array.from(data));
  adam.dispose();
  for (const p of params) p.variable.dispose();
  return [...values, Float32Array.from(norms)];
}

describe('the fused Adam update on wasm matches the op-by-op one on cpu', () => {
  beforeAll(wasmWithStudioKernels);

  const base = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, weightDecay: 0, gradClip: 0 };

  it('builds the compiled SIMD loops here (else only the JS loops would be tested)', async () => {
    await wasmWithStudioKernels();
    expect(adamOps(wasmBackendOf(tf.backend()))).not.toBeNull();
  });

  it.each([
    ['Adam', base],
    ['AdamW', { ...base, weightDecay: 0.1 }],
    ['Adam, clipped', { ...base, gradClip: 1 }],
    ['AdamW, clipped, dcgan betas', { ...base, beta1: 0.5, weightDecay: 0.1, gradClip: 1 }],
    ['AdamW, clip above the norm', { ...base, weightDecay: 0.1, gradClip: 1e6 }],
  ])('%s, compiled loops and JS loops', async (_, options) => {
    const expected = await threeSteps('cpu', options);
    for (const compiled of [true, false]) {
      setAdamOpsEnabled(compiled);
      try {
        const actual = await threeSteps('wasm', options);
        expect(actual).toHaveLength(expected.length);
        expect(actual.at(-1)?.length).toBe(options.gradClip > 0 ? 3 : 0);
        let worst = 0;
        expected.forEach((e, i) => {
          worst = Math.max(worst, relativeError(actual[i] ?? new Float32Array(), e));
        });
        expect(worst).toBeLessThan(1e-6);
      } finally {
        setAdamOpsEnabled(true);
      }
    }
  });

  it('takes one kernel per parameter, and one for the norm', async () => {
    await wasmWithStudioKernels();
    const params = parameters(2);
    const adam = new Adam(params, { ...base, weightDecay: 0.1, gradClip: 1 });
    const grads = gradients(0);
    const info = await tf.profile(() => {
      tf.tidy(() => {
        adam.apply(grads);
      });
    });
    const names = info.kernels.map((k) => k.name);
    expect(names.filter((n) => n === ADAM_UPDATE)).toHaveLength(params.length);
    expect(names.filter((n) => n === GLOBAL_NORM)).toHaveLength(1);
    // The clip scale min(1, clip / (norm + 1e-6)) is the only other work.
    expect(names.length).toBeLessThanOrEqual(params.length + 4);
    tf.dispose(grads);
    adam.dispose();
    for (const p of params) p.variable.dispose();
  });

  it('keeps the slots and parameters as the same variables, and no tensor leaks', async () => {
    await wasmWithStudioKernels();
    const params = parameters(3);
    const adam = new Adam(params, { ...base, gradClip: 1 });
    const slots = adam.slots('adam').map((s) => s.variable);
    const before = tf.memory().numTensors;
    for (let step = 0; step < 3; step++) {
      tf.tidy(() => {
        adam.apply(gradients(step));
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    adam.slots('adam').forEach((s, i) => expect(s.variable).toBe(slots[i]));
    expect(slots.every((s) => !s.isDisposed)).toBe(true);
    // The first moment moved off zero: the kernel's outputs landed in the variables.
    expect(Math.abs(slots[0]?.dataSync()[0] ?? 0)).toBeGreaterThan(0);
    adam.dispose();
    for (const p of params) p.variable.dispose();
  });
});
