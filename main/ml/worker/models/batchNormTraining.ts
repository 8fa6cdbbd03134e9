// Batch norm in training mode (batch statistics) as one op with its gradient written out, for the
// GAN's generator. Built from tfjs's own ops it records eight full-size ops forward and about
// fourteen full-size ops plus five reductions backward (the statistics' gradients are taken op by
// op); the closed form below needs six forward and five plus two reductions backward, which is
// a few milliseconds per dcgan step on the wasm backend. The maths is layers.ts's batchNorm:
//
//   x̂ = (x − μ) / √(σ² + ε), y = γ·x̂ + β, μ and σ² (biased) over every axis but the last;
//   ∂β = Σ dy, ∂γ = Σ dy·x̂, ∂x = γ/√(σ² + ε) · (dy − ∂β/M − x̂·∂γ/M) over M values per feature.

import * as tf from '@tensorflow/tfjs';

/** The same ε as layers.ts's batchNorm (PyTorch's default). */
export const BATCH_NORM_EPSILON = 1e-5;

export interface BatchStatistics {
  /** [F] each, kept (tf.keep): they outlive every tidy, and the caller disposes them. */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/**
 * γ·(x − μ)/√(σ² + ε) + β with the batch's μ and σ² over the leading axes of x [..., F]; gamma and
 * beta [F]. Returns the statistics too (for the running averages), kept: dispose them.
 */
export function batchNormTraining(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
): { y: tf.Tensor; stats: BatchStatistics } {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const count = x.size / (x.shape[x.shape.length - 1] ?? 1);
  let stats: BatchStatistics | null = null;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const mean = tf.mean(input, axes) as tf.Tensor1D; // [F]
    const centred = input.sub(mean); // [..., F]
    const variance = tf.mean(centred.square(), axes) as tf.Tensor1D; // [F]
    const invStd = tf.rsqrt(variance.add(BATCH_NORM_EPSILON)) as tf.Tensor1D; // [F]
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    save([centred, invStd, g]);
    return {
      value: centred.mul(invStd.mul(g)).add(b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xc, inv, gain] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
        const scale = gain.mul(inv); // [F] γ/√(σ² + ε)
        const dBeta = dy.sum(axes); // [F]
        const dyXc = dy.mul(xc).sum(axes); // [F] Σ dy·(x − μ)
        const dGamma = dyXc.mul(inv); // [F] Σ dy·x̂
        // ∂x = scale·dy − (scale·∂γ/M)·x̂ − scale·∂β/M, with x̂ = (x − μ)·inv folded into the factor.
        const onCentred = scale.mul(dGamma).mul(inv).div(-count);
        const offset = scale.mul(dBeta).div(-count);
        const dx = dy.mul(scale).add(xc.mul(onCentred)).add(offset);
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = op(x, gamma, beta);
  // Set by the forward pass, which customGrad runs before returning.
  const kept = stats as BatchStatistics | null;
  if (kept === null) throw new Error('batchNormTraining: the forward pass did not run');
  return { y, stats: kept };
}
