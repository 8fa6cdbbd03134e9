// The char-GPT's per-block ops — layer norm, GELU and causal self-attention — each one
// tf.customGrad with its backward pass written out. tfjs's autograd of the same formulas runs two
// to three times as many kernels (every broadcast in the forward pass becomes a reduction in the
// backward one, and the attention's head reshuffles each add a transpose both ways); on the wasm
// backend each of those kernels is a pass over megabytes of activations.

import * as tf from '@tensorflow/tfjs';
import {
  ATTENTION_INPUT_GRAD,
  ATTENTION_SCORES,
  ATTENTION_SCORES_GRAD,
  ATTENTION_VALUES,
  attentionFits,
} from '../wasm/attention';
import { GELU, GELU_GRAD } from '../wasm/gelu';
import { LAYER_NORM, LAYER_NORM_GRAD } from '../wasm/layerNorm';
import { SOFTMAX_GRAD } from '../wasm/softmaxGrad';
import { wasmBackendOf } from '../wasm/wasmHeap';

type CustomGradArgs = (tf.Tensor | tf.GradSaveFunc)[];

const LAYER_NORM_EPSILON = 1e-5;

/** Whether the wasm backend is active and has all the studio `kernels` for float32 `x`. */
function wasmKernelsTake(x: tf.Tensor, ...kernels: string[]): boolean {
  return (
    tf.getBackend() === 'wasm' &&
    x.dtype === 'float32' &&
    kernels.every((name) => tf.getKernel(name, 'wasm') !== undefined)
  );
}

/** Sums a gradient [..., C] over every axis but the last: [C]. */
function sumLeading(t: tf.Tensor): tf.Tensor1D {
  const width = t.shape[t.shape.length - 1] ?? 1;
  return t.reshape([-1, width]).sum(0);
}

const layerNormOp = tf.customGrad((...args: CustomGradArgs) => {
  const [x, gain, bias, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const centred = x.sub(x.mean(-1, true)); // [..., C]
  const rstd = tf.rsqrt(centred.square().mean(-1, true).add(LAYER_NORM_EPSILON)); // [..., 1]
  const normalised = centred.mul(rstd); // [..., C]
  save([normalised, rstd, gain]);
  return {
    value: normalised.mul(gain).add(bias),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xHat, r, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D];
      const dxHat = dy.mul(g); // [..., C]
      // dx = r · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), means over the normalised axis.
      const dx = dxHat
        .sub(dxHat.mean(-1, true))
        .sub(xHat.mul(dxHat.mul(xHat).mean(-1, true)))
        .mul(r);
      return [dx, sumLeading(dy.mul(xHat)), sumLeading(dy)];
    },
  };
});

/** The same layer norm as two wasm kernels (wasm/layerNorm.ts): the same bits in 4 kernels, not 19. */
const layerNormByKernels = tf.customGrad((...args: CustomGradArgs) => {
  const [x, gain, bias, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
  const attrs = { epsilon: LAYER_NORM_EPSILON };
  const [y, xHat, rstd] = tf
    .engine()
    .runKernel(LAYER_NORM, { x, gain, bias }, attrs) as tf.Tensor[];
  save([xHat as tf.Tensor, rstd as tf.Tensor, gain]);
  return {
    value: y as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xh, r, g] = saved as [tf.Tensor, tf.Tensor, tf.Tensor1D];
      const inputs = { dy, xhat: xh, rstd: r, gain: g };
      const [dx, dyXHat] = tf.engine().runKernel(LAYER_NORM_GRAD, inputs) as tf.Tensor[];
      return [dx as tf.Tensor, sumLeading(dyXHat as tf.Tensor), sumLeading(dy)];
    },
  };
});

/** Layer norm over the last axis (biased variance, ε = 1e-5, as PyTorch); gain [C], bias [C]. */
export function layerNorm(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  const fused = wasmKernelsTake(x, LAYER_NORM, LAYER_NORM_GRAD);
  return (fused ? layerNormByKernels : layerNormOp)(x, gain, bias);
}

/** The op-by-op layer norm, for the kernels' tests. */
export function layerNormByOps(x: tf.Tensor, gain: tf.Tensor1D, bias: tf.Tensor1D): tf.Tensor {
  return layerNormOp(x, gain, bias);
}

// GELU, tanh form: 0.5·x·(1 + tanh(u)), u = √(2/π)·(x + 0.044715·x³). Since 1 + tanh(u) = 2σ(2u),
// that is x·σ(z) with z = x·(C1 + C2·x²), fewer kernels than the tanh form and σ is one XNNPACK op.
const GELU_C1 = 2 * Math.sqrt(2 / Math.PI);
const GELU_C2 = GELU_C1 * 0.044715;

const geluOp = tf.customGrad((...args: CustomGradArgs) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const s = tf.sigmoid(x.mul(x.square().mul(GELU_C2).add(GELU_C1))); // σ(z)
  save([x, s]);
  return {
    value: x.mul(s),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, sig] = saved as [tf.Tensor, tf.Tensor];
      // d/dx x·σ(z) = σ(z) + x·z′·σ(z)(1 − σ(z)), x·z′ = x·(C1 + 3·C2·x²).
      const xdz = xs
        .square()
        .mul(3 * GELU_C2)
        .add(GELU_C1)
        .mul(xs);
      return dy.mul(sig.sub(sig.square()).mul(xdz).add(sig));
    },
  };
});

/** The same GELU as two wasm kernels (wasm/gelu.ts): the same bits in 2 kernels instead of 14. */
const geluByKernels = tf.customGrad((...args: CustomGradArgs) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const [y, s] = tf.engine().runKernel(GELU, { x }, { c1: GELU_C1, c2: GELU_C2 }) as tf.Tensor[];
  save([x, s as tf.Tensor]);
  return {
    value: y as tf.Tensor,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, sig] = saved as [tf.Tensor, tf.Tensor];
      const attrs = { c1: GELU_C1, c3: 3 * GELU_C2 };
      return tf.engine().runKernel(GELU_GRAD, { dy, x: xs, s: sig }, attrs) as tf.Tensor;
    },
  };
});

/** GELU, tanh approximation (GPT-2's). */
export function gelu(x: tf.Tensor): tf.Tensor {
  return (wasmKernelsTake(x, GELU, GELU_GRAD) ? geluByKernels : geluOp)(x);
}

/** The op-by-op GELU, for the kernels' tests. */
export function geluByOps(x: tf.Tensor): tf.Tensor {
  return geluOp(x);
}

/** [T, T]: 0 on and below the diagonal, −1e9 above it, so no position attends to a later one. */
export function causalMask(t: number): tf.Tensor2D {
  const values = new Float32Array(t * t);
  for (let i = 0; i < t; i++) for (let j = i + 1; j < t; j++) values[i * t + j] = -1e9;
  return tf.tensor2d(values, [t, t]);
}

/**
 * Multi-head causal self-attention from the fused projection qkv [B, T, 3C] (q, k, v side by side,
 * each C = heads·d wide) to the heads' outputs side by side, [B, T, C], before the output
 * projection: per head softmax(q·kᵀ/√d + mask)·v. `mask` is `causalMask(T)`. On the wasm backend,
 * with shapes the compiled product takes, by the attention kernels; elsewhere op by op.
 */
export function causalSelfAttention(
  qkv: tf.Tensor3D,
  heads: number,
  mask: tf.Tensor2D,
): tf.Tensor3D {
  const [, t, width3] = qkv.shape;
  const d = width3 / 3 / heads;
  const fused =
    tf.getBackend() === 'wasm' &&
    qkv.dtype === 'float32' &&
    attentionFits(
      wasmBackendOf(tf.backend()),
      (name) => tf.getKernel(name, 'wasm') !== undefined,
      t,
      d,
    );
  return (fused ? attentionByKernels : attentionByOps)(qkv, heads, mask);
}

/**
 * The same attention as four wasm kernels (wasm/attention.ts) that read the heads where they lie
 * in qkv: the same products in the same order, so the same bits, without the transposes, splits
 * and concat around them.
 */
function attentionByKernels(qkv: tf.Tensor3D, heads: number, mask: tf.Tensor2D): tf.Tensor3D {
  const scale = 1 / Math.sqrt(qkv.shape[2] / 3 / heads);
  const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap): tf.Tensor =>
    tf.engine().runKernel(name, inputs, attrs) as tf.Tensor;
  const op = tf.customGrad((...args: CustomGradArgs) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    const scores = run(ATTENTION_SCORES, { qkv: x }, { heads, scale }); // [B, h, T, T]
    const weights = tf.softmax(scores.add(mask)); // [B, h, T, T]
    save([x, weights]);
    return {
      value: run(ATTENTION_VALUES, { weights, qkv: x }, { heads }) as tf.Tensor3D, // [B, T, C]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, p] = saved as [tf.Tensor3D, tf.Tensor4D];
        const dP = run(ATTENTION_SCORES_GRAD, { dy, qkv: xs }, { heads }); // [B, h, T, T]
        // Softmax backward, as the op path: one kernel where it is registered, the same bits.
        const dS =
          tf.getKernel(SOFTMAX_GRAD, 'wasm') === undefined
            ? p.mul(dP.sub(dP.mul(p).sum(-1, true)))
            : run(SOFTMAX_GRAD, { dy: dP, y: p }, {}); // [B, h, T, T]
        return run(ATTENTION_INPUT_GRAD, { dS, weights: p, dy, qkv: xs }, { heads, scale });
      },
    };
  });
  return op(qkv) as tf.Tensor3D;
}

/**
 * The op-by-op attention, for the kernels' tests and where the kernels do not fit.
 *
 * The products run per (batch, head) matrix, so each operand must be row-major [T, d] or [d, T]
 * per head. The forward pass makes both layouts of q and k with two transposes of qkv, and the
 * backward pass takes each product in the orientation whose operands already exist (dkᵀ = qᵀ·dS
 * rather than dSᵀ·q, which would transpose the [T, T] matrix), so every transpose here moves a
 * [B, T, C]-sized tensor, never a [B, h, T, T] one.
 */
export function attentionByOps(qkv: tf.Tensor3D, heads: number, mask: tf.Tensor2D): tf.Tensor3D {
  const [b, t, width3] = qkv.shape;
  const width = width3 / 3;
  const d = width / heads;
  const scale = 1 / Math.sqrt(d);
  const op = tf.customGrad((...args: CustomGradArgs) => {
    const [x, save] = args as [tf.Tensor3D, tf.GradSaveFunc];
    // 4-D transposes then a split along the stacked heads: the [0, 2, 1, 3] one moves whole rows
    // of d values (≈ 1 ms for chargpt's, against ≈ 4 ms for the 5-D [2, 0, 3, 1, 4] equivalent).
    const heads3 = x.reshape([b, t, 3 * heads, d]);
    const [q, k, v] = tf.split(heads3.transpose([0, 2, 1, 3]), 3, 1) as tf.Tensor4D[]; // [B, h, T, d]
    const [qT, kT, vT] = tf.split(heads3.transpose([0, 2, 3, 1]), 3, 1) as tf.Tensor4D[]; // [B, h, d, T]
    const scaledQ = (q as tf.Tensor4D).mul(scale);
    const weights = tf.softmax(tf.matMul(scaledQ, kT as tf.Tensor4D).add(mask)); // [B, h, T, T]
    const y = tf.matMul(weights, v as tf.Tensor4D); // [B, h, T, d]
    save([qT as tf.Tensor4D, k as tf.Tensor4D, vT as tf.Tensor4D, weights]);
    return {
      value: y.transpose([0, 2, 1, 3]).reshape([b, t, width]), // [B, T, C]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [qTs, ks, vTs, p] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const dyHeads = dy.reshape([b, t, heads, d]);
        const dY = dyHeads.transpose([0, 2, 1, 3]); // [B, h, T, d]
        const dYT = dyHeads.transpose([0, 2, 3, 1]); // [B, h, d, T]
        const dP = tf.matMul(dY, vTs); // [B, h, T, T]
        // Softmax backward (the mask's entries have p = 0, so their gradient is 0 too).
        const dS = p.mul(dP.sub(dP.mul(p).sum(-1, true))); // [B, h, T, T]
        const dq = tf.matMul(dS, ks).mul(scale); // [B, h, T, d]
        const dkT = tf.matMul(qTs, dS).mul(scale); // [B, h, d, T]
        const dvT = tf.matMul(dYT, p); // [B, h, d, T]
        // Stacked as [B, 3h, T, d], then one row-moving transpose back to qkv's layout.
        const stacked = tf.concat(
          [dq, dkT.transpose([0, 1, 3, 2]), dvT.transpose([0, 1, 3, 2])],
          1,
        );
        return stacked.transpose([0, 2, 1, 3]).reshape([b, t, width3]);
      },
    };
  });
  return op(qkv) as tf.Tensor3D;
}

/** One layer's keys and values of the positions decoded so far, per head: [N, h, t, d] each. */
export interface KeyValueCache {
  keys: tf.Tensor4D;
  values: tf.Tensor4D;
}

/** qkv [N, T, 3C] → q, k and v per head, [N, h, T, d] each (forward only). */
export function headsOf(qkv: tf.Tensor3D, heads: number): [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D] {
  const [n, t, width3] = qkv.shape;
  const d = width3 / 3 / heads;
  const stacked = qkv.reshape([n, t, 3 * heads, d]).transpose([0, 2, 1, 3]); // [N, 3h, T, d]
  return tf.split(stacked, 3, 1) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
}

/**
 * The attention of one query per sequence, q [N, h, 1, d], over keys and values [N, h, t, d] it
 * may all see → its heads' outputs side by side, [N, 1, C]: one row of `causalSelfAttention`
 * (whose mask row is all zeros for the last position), the same products.
 */
export function attendOne(q: tf.Tensor4D, keys: tf.Tensor4D, values: tf.Tensor4D): tf.Tensor3D {
  const [n, heads, , d] = q.shape;
  const weights = tf.softmax(tf.matMul(q.mul(1 / Math.sqrt(d)), keys, false, true)); // [N, h, 1, t]
  return tf.matMul(weights, values).reshape([n, 1, heads * d]); // [N, h, 1, d] → [N, 1, C]
}

/**
 * The attention of ONE new position per sequence (incremental decoding): qkv [N, 1, 3C] of the
 * newest position → its heads' outputs [N, 1, C], and the cache with its key and value appended.
 * The new position attends to every cached one and itself, which is what its row of the causal
 * mask lets it see in `causalSelfAttention` over the whole sequence: the same products, one row
 * of them, so the same figures (up to the order of float sums) for a fraction of the work.
 * Forward only: no gradient runs through a decoder.
 */
export function cachedAttentionStep(
  qkv: tf.Tensor3D,
  heads: number,
  cache: KeyValueCache | null,
): { y: tf.Tensor3D; cache: KeyValueCache } {
  const [q, k, v] = headsOf(qkv, heads); // [N, h, 1, d]
  const keys = cache === null ? k : tf.concat([cache.keys, k], 2);
  const values = cache === null ? v : tf.concat([cache.values, v], 2);
  return { y: attendOne(q, keys, values), cache: { keys, values } };
}
