import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { relativeError, wasmVersusCpu, wasmWithStudioKernels } from '../testing/kernels';
import { causalMask, causalSelfAttention, gelu, layerNorm } from './transformerOps';

// The references: the textbook formulas, differentiated by tfjs's autograd.

function layerNormByAutograd(x: tf.Tensor, gain: tf.Tensor, bias: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(1e-5)))
    .mul(gain)
    .add(bias);
}

function geluByAutograd(x: tf.Tensor): tf.Tensor {
  const inner = x.add(x.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI));
  return x.mul(0.5).mul(tf.tanh(inner).add(1));
}

function attentionByAutograd(qkv: tf.Tensor3D, heads: number, mask: tf.Tensor2D): tf.Tensor {
  const [b, t, width3] = qkv.shape;
  const width = width3 / 3;
  const d = width / heads;
  const [q, k, v] = tf
    .split(qkv, 3, 2)
    .map((part) => part.reshape([b, t, heads, d]).transpose([0, 2, 1, 3]));
  const scores = tf
    .matMul(q as tf.Tensor, k as tf.Tensor, false, true)
    .div(Math.sqrt(d))
    .add(mask);
  return tf
    .matMul(tf.softmax(scores), v as tf.Tensor)
    .transpose([0, 2, 1, 3])
    .reshape([b, t, width]);
}

const seeded = (shape: number[], seed: number, std = 1) =>
  tf.randomNormal(shape, 0, std, 'float32', seed);

/** Value and every input's gradient of sum(f(inputs) · weights), as arrays. */
function valueAndGrads(
  f: (...inputs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  weights: tf.Tensor,
): Float32Array[] {
  return tf.tidy(() => {
    const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) =>
      f(...xs)
        .mul(weights)
        .sum(),
    )(inputs);
    return [value, ...grads].map((t) => Float32Array.from(t.dataSync()));
  });
}

function worstError(actual: Float32Array[], expected: Float32Array[]): number {
  expect(actual.length).toBe(expected.length);
  return Math.max(...expected.map((e, i) => relativeError(actual[i] as Float32Array, e)));
}

describe('transformer ops: written-out gradients match autograd of the formulas (cpu)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('layerNorm over the last axis, with gain and bias gradients', () => {
    const inputs = [seeded([3, 5, 16], 1, 2), seeded([16], 2), seeded([16], 3)];
    const weights = seeded([3, 5, 16], 4);
    const error = worstError(
      valueAndGrads((x, g, b) => layerNorm(x, g as tf.Tensor1D, b as tf.Tensor1D), inputs, weights),
      valueAndGrads(layerNormByAutograd, inputs, weights),
    );
    expect(error).toBeLessThan(1e-5);
    tf.dispose([...inputs, weights]);
  });

  it('gelu (tanh form) over a wide range', () => {
    const x = tf.concat([seeded([200], 5, 3), tf.tensor1d([0, -12, 12, 1e-4])]);
    const weights = seeded([204], 6);
    const error = worstError(
      valueAndGrads(gelu, [x], weights),
      valueAndGrads(geluByAutograd, [x], weights),
    );
    expect(error).toBeLessThan(1e-5);
    tf.dispose([x, weights]);
  });

  it('causal self-attention: output and qkv gradient', () => {
    const [b, t, heads, d] = [2, 6, 3, 4];
    const qkv = seeded([b, t, 3 * heads * d], 7);
    const weights = seeded([b, t, heads * d], 8);
    const mask = causalMask(t);
    const error = worstError(
      valueAndGrads((x) => causalSelfAttention(x as tf.Tensor3D, heads, mask), [qkv], weights),
      valueAndGrads((x) => attentionByAutograd(x as tf.Tensor3D, heads, mask), [qkv], weights),
    );
    expect(error).toBeLessThan(1e-5);
    tf.dispose([qkv, weights, mask]);
  });

  it('causal self-attention ignores later positions', () => {
    const [t, heads, d] = [5, 2, 3];
    const mask = causalMask(t);
    const qkv = seeded([1, t, 3 * heads * d], 9);
    // Changing the last position must leave every earlier output as it was.
    const changed = tf.tidy(() =>
      qkv.add(
        tf
          .oneHot(tf.tensor1d([t - 1], 'int32'), t)
          .reshape([1, t, 1])
          .mul(seeded([1, 1, 3 * heads * d], 10)),
      ),
    );
    const [before, after] = [qkv, changed].map((x) =>
      tf.tidy(() =>
        causalSelfAttention(x as tf.Tensor3D, heads, mask)
          .slice([0, 0, 0], [1, t - 1, heads * d])
          .dataSync(),
      ),
    );
    expect(relativeError(after as Float32Array, before as Float32Array)).toBeLessThan(1e-6);
    tf.dispose([qkv, changed, mask]);
  });
});

describe('transformer ops on wasm with the studio kernels match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it('forward and backward of layerNorm, gelu and attention', async () => {
    const [b, t, heads, d] = [2, 7, 2, 8];
    const width = heads * d;
    const error = await wasmVersusCpu(() => {
      const mask = causalMask(t);
      const x = seeded([b, t, 3 * width], 11);
      const [gain, bias] = [seeded([3 * width], 12), seeded([3 * width], 13)];
      const block = (v: tf.Tensor, g: tf.Tensor, c: tf.Tensor) =>
        causalSelfAttention(
          gelu(layerNorm(v, g as tf.Tensor1D, c as tf.Tensor1D)) as tf.Tensor3D,
          heads,
          mask,
        );
      const weights = seeded([b, t, width], 14);
      const { value, grads } = tf.valueAndGrads((v: tf.Tensor, g: tf.Tensor, c: tf.Tensor) =>
        block(v, g, c).mul(weights).sum(),
      )([x, gain, bias]);
      return [value, ...grads];
    });
    expect(error).toBeLessThan(1e-4);
  });
});
