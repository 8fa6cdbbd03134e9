import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  differingBits,
  relativeError,
  wasmVersusCpu,
  wasmWithStudioKernels,
} from '../testing/kernels';
import { affine, embed, softmaxCrossEntropy } from './layers';

const seeded = (shape: number[], seed: number, std = 1) =>
  tf.randomNormal(shape, 0, std, 'float32', seed);

/** Value and every input's gradient of f, as arrays. */
function valueAndGrads(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]) {
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => f(...xs).sum())(inputs);
    return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

function worstError(actual: Float32Array[], expected: Float32Array[]): number {
  expect(actual.length).toBe(expected.length);
  return Math.max(...expected.map((e, i) => relativeError(actual[i] as Float32Array, e)));
}

describe('layers with written-out gradients match autograd (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  // [rows, in, out]: wide outputs take the (dyᵀ·x)ᵀ orientation, narrow ones xᵀ·dy.
  it.each([
    [64, 4, 16],
    [64, 16, 4],
    [3, 5, 7],
  ])('affine [%i, %i] → %i: value and x, kernel, bias gradients', (rows, inputs, outputs) => {
    const args = [seeded([rows, inputs], 1), seeded([inputs, outputs], 2), seeded([outputs], 3)];
    const weights = seeded([rows, outputs], 4);
    const error = worstError(
      valueAndGrads(
        (x, w, b) => affine(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D).mul(weights),
        args,
      ),
      valueAndGrads(
        (x, w, b) =>
          tf
            .matMul(x as tf.Tensor2D, w as tf.Tensor2D)
            .add(b as tf.Tensor)
            .mul(weights),
        args,
      ),
    );
    expect(error).toBeLessThan(1e-5);
    const noBias = worstError(
      valueAndGrads(
        (x, w) => affine(x as tf.Tensor2D, w as tf.Tensor2D).mul(weights),
        args.slice(0, 2),
      ),
      valueAndGrads(
        (x, w) => tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D).mul(weights),
        args.slice(0, 2),
      ),
    );
    expect(noBias).toBeLessThan(1e-5);
  });

  it('embed: rows of the table, and repeated ids add their gradients', () => {
    const table = seeded([6, 3], 5);
    const ids = tf.tensor2d([0, 2, 2, 5, 0, 2], [2, 3], 'int32');
    const weights = seeded([2, 3, 3], 6);
    const error = worstError(
      valueAndGrads((t) => embed(t as tf.Tensor2D, ids).mul(weights), [table]),
      valueAndGrads((t) => tf.gather(t, ids).mul(weights), [table]),
    );
    expect(error).toBeLessThan(1e-6);
  });

  it('softmaxCrossEntropy against logSoftmax, also for large logits', () => {
    const logits = tf.concat([seeded([5, 7], 7, 3), tf.fill([1, 7], 80)]);
    const targets = tf.tensor1d([0, 6, 3, 3, 1, 2], 'int32');
    const byAutograd = (x: tf.Tensor) =>
      tf.logSoftmax(x).mul(tf.oneHot(targets, 7).toFloat()).sum(1).mean().neg();
    const error = worstError(
      valueAndGrads((x) => softmaxCrossEntropy(x as tf.Tensor2D, targets), [logits]),
      valueAndGrads(byAutograd, [logits]),
    );
    expect(error).toBeLessThan(1e-5);
  });
});

describe('layers on wasm with the studio kernels match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  // The orientation of a weight gradient is chosen for speed only: both must give the same bits,
  // so that a training run's losses do not depend on the rule.
  it.each([
    [256, 128, 512],
    [256, 512, 128],
    [64, 20, 12],
  ])('xᵀ·dy and (dyᵀ·x)ᵀ give the same bits, [%i, %i] → %i', (rows, inputs, outputs) => {
    const [viaX, viaDy] = tf.tidy(() => {
      const x = seeded([rows, inputs], 11);
      const dy = seeded([rows, outputs], 12);
      return [
        tf.matMul(tf.transpose(x), dy).dataSync(),
        tf.transpose(tf.matMul(tf.transpose(dy), x)).dataSync(),
      ];
    });
    expect(viaX.length).toBe(inputs * outputs);
    expect(differingBits(viaX as Float32Array, viaDy as Float32Array)).toBe(0);
  });

  it('affine, embed and softmaxCrossEntropy, forward and backward', async () => {
    const error = await wasmVersusCpu(() => {
      const table = seeded([9, 6], 8);
      const ids = tf.tensor1d([1, 8, 8, 0, 3, 1, 1, 4], 'int32');
      const kernel = seeded([6, 20], 9);
      const bias = seeded([20], 10);
      const targets = tf.tensor1d([3, 19, 0, 7, 7, 12, 1, 2], 'int32');
      const { value, grads } = tf.valueAndGrads((t: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        softmaxCrossEntropy(
          affine(embed(t as tf.Tensor2D, ids) as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
          targets,
        ),
      )([table, kernel, bias]);
      return [value, ...grads];
    });
    expect(error).toBeLessThan(1e-4);
  });
});
