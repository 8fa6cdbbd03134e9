// The building blocks every model family is written in: parameters as plain tf.Variables (so a
// checkpoint can name, save and restore each one), seeded initialisers, and the few ops whose
// tfjs gradient is slow or missing on the wasm backend, written with explicit gradients.

import * as tf from '@tensorflow/tfjs';

/** One named tensor a model owns; `decay` marks weights that AdamW's weight decay applies to. */
export interface Parameter {
  name: string;
  variable: tf.Variable;
  /** Trained by the optimiser (false: running statistics such as batch-norm means). */
  trainable: boolean;
  decay: boolean;
}

/**
 * Collects a model's parameters in creation order, which is also their order in a checkpoint.
 * Variables stay unnamed in tfjs (its names are global to the engine and two models may coexist);
 * the model-scoped name lives here.
 */
export class ParameterSet {
  readonly all: Parameter[] = [];
  private nextSeed: number;

  constructor(seed: number) {
    // Distinct seeds per tensor, derived from the run's seed, so a model is repeatable end to end.
    this.nextSeed = (Math.abs(Math.trunc(seed)) % 100_000) * 1000 + 1;
  }

  private add(name: string, initial: () => tf.Tensor, trainable: boolean, decay: boolean) {
    if (this.all.some((p) => p.name === name)) throw new Error(`Duplicate parameter ${name}`);
    // tidy frees the initial value; the variable keeps its own reference to the data.
    const variable = tf.tidy(() => tf.variable(initial(), trainable));
    this.all.push({ name, variable, trainable, decay });
    return variable;
  }

  /** Weights drawn from U(−limit, limit). */
  uniform(name: string, shape: number[], limit: number, decay = true): tf.Variable {
    const seed = this.nextSeed++;
    return this.add(
      name,
      () => tf.randomUniform(shape, -limit, limit, 'float32', seed),
      true,
      decay,
    );
  }

  /** Glorot/Xavier uniform: the Keras default for dense and conv kernels. */
  glorot(name: string, shape: number[], fanIn: number, fanOut: number): tf.Variable {
    return this.uniform(name, shape, Math.sqrt(6 / (fanIn + fanOut)));
  }

  /**
   * PyTorch's default for Linear, Conv2d and ConvTranspose2d weights and biases alike: Kaiming-
   * uniform with a = √5 comes to U(±1/√fan_in). `fanIn` is PyTorch's: inputs for a linear layer,
   * in·k·k for a convolution, out·k·k for a transposed one (torch reads it from the weight's
   * second dimension, which is the output channels there).
   */
  pytorchDefault(name: string, shape: number[], fanIn: number, decay = true): tf.Variable {
    return this.uniform(name, shape, 1 / Math.sqrt(fanIn), decay);
  }

  /** Weights drawn from N(mean, std): DCGAN's and GPT-2's initialisation. */
  normal(name: string, shape: number[], std: number, mean = 0, decay = true): tf.Variable {
    const seed = this.nextSeed++;
    return this.add(name, () => tf.randomNormal(shape, mean, std, 'float32', seed), true, decay);
  }

  constant(name: string, shape: number[], value: number, trainable = true): tf.Variable {
    return this.add(name, () => tf.fill(shape, value), trainable, false);
  }

  trainable(): tf.Variable[] {
    return this.all.filter((p) => p.trainable).map((p) => p.variable);
  }

  /** Trainable parameter count. */
  count(): number {
    return this.all.filter((p) => p.trainable).reduce((n, p) => n + p.variable.size, 0);
  }

  dispose(): void {
    for (const p of this.all) p.variable.dispose();
  }
}

/**
 * dW = xᵀ·dy [in, out] for x [N, in] and dy [N, out], in the cheaper of two orientations.
 *
 * On wasm each product packs its right-hand operand into XNNPACK's layout, a strided pass that
 * costs ≈ 3.5 ns per value here, about twice the explicit transpose of the left-hand one. Both
 * operands of a weight gradient are N rows long, so the narrower one should be packed:
 * xᵀ·dy packs dy (N·out) and transposes x (N·in); (dyᵀ·x)ᵀ packs x, transposes dy and then the
 * [out, in] result. For the GPT's MLP (N 4096, 128 → 512) the second saves ≈ 2.5 ms a layer.
 *
 * Since the wasm backend's dense products moved to the compiled product (wasm/batchMatMul.ts),
 * which reads b where it lies, the packing term stands for something else it models as well: that
 * product is ≈ 25% slower with 512 output columns than with 128 (b's rows 2 kB apart share few L1
 * sets). A rule counting only the transposed values, which picks [128, 4096] · [4096, 512] for
 * both MLP layers, made the GPT's step slower (AMD EPYC, 2 threads: 8 such products 95 ms against
 * 70 for [512, 4096] · [4096, 128], for 22 ms fewer transposes). Both orientations sum each dW[i, j]
 * over the N rows in the same order, so the choice never changes the bits (layers.test.ts).
 */
function weightGradient(x: tf.Tensor2D, dy: tf.Tensor2D): tf.Tensor2D {
  const [rows, inputs] = x.shape;
  const outputs = dy.shape[1];
  // Costs in units of one transposed value; packing one value costs ~2.
  const packDy = rows * inputs + 2 * rows * outputs;
  const packX = rows * outputs + 2 * rows * inputs + inputs * outputs;
  if (packX < packDy) return tf.transpose(tf.matMul(tf.transpose(dy), x) as tf.Tensor2D); // [in, out]
  return tf.matMul(tf.transpose(x), dy); // [in, out]
}

/**
 * x·W + b with a gradient that transposes explicitly: the stock wasm matMul with a transpose flag
 * is a scalar loop, ~8× slower than transpose-then-matMul (9 ms vs 1 ms for the [784, 64]ᵀ ·
 * [64, 256] of a weight gradient), and tfjs's own gradient of matMul uses the flags. (The studio's
 * BatchMatMul kernel copies a flagged operand into row-major order itself, at the same cost.)
 */
const affineWithBias = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  // customGrad passes the inputs then the save function; the casts name what the call site passes.
  const [x, kernel, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, kernel]);
  return {
    value: tf.fused.matMul({ a: x, b: kernel, bias }), // [B, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, weights] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy, tf.transpose(weights)), // [B, in]
        weightGradient(input, dy as tf.Tensor2D), // [in, out]
        tf.sum(dy, 0), // [out]
      ];
    },
  };
});

const affineNoBias = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, kernel, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([x, kernel]);
  return {
    value: tf.matMul(x, kernel), // [B, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, weights] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy, tf.transpose(weights)), weightGradient(input, dy as tf.Tensor2D)];
    },
  };
});

/** x [B, in] · kernel [in, out] (+ bias [out]) → [B, out]. */
export function affine(x: tf.Tensor2D, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor2D {
  return (
    bias === undefined ? affineNoBias(x, kernel) : affineWithBias(x, kernel, bias)
  ) as tf.Tensor2D;
}

/**
 * The first layer's x·W + b where x is data: no gradient is computed for x, which would be the
 * widest matMul of the backward pass and is never used.
 */
export function affineOfData(
  data: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [w, b, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    // Saved, not just captured: the forward pass's tidy frees `data` before the gradient runs.
    save([data]);
    return {
      value: tf.fused.matMul({ a: data, b: w, bias: b }), // [B, out]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [
        weightGradient(saved[0] as tf.Tensor2D, dy as tf.Tensor2D), // [in, out]
        tf.sum(dy, 0), // [out]
      ],
    };
  });
  return op(kernel, bias) as tf.Tensor2D;
}

/** The same affine over the last axis of [..., in]: reshapes to 2-D and back. */
export function affineLastAxis(x: tf.Tensor, kernel: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const inner = x.shape[x.shape.length - 1] ?? 1;
  const outer = x.shape.slice(0, -1);
  const flat = affine(x.reshape([-1, inner]) as tf.Tensor2D, kernel, bias); // [N, out]
  return flat.reshape([...outer, kernel.shape[1]]);
}

/**
 * Embedding lookup table[ids]: a gather forward; backward, each row of dy added into its id's row
 * (UnsortedSegmentSum, one pass over dy) where the backend has that kernel, else a one-hot matMul
 * (the stock wasm backend lacks it; the studio's wasm kernels add it).
 */
export function embed(table: tf.Tensor2D, ids: tf.Tensor): tf.Tensor {
  const vocab = table.shape[0];
  const flatIds = ids.reshape([-1]) as tf.Tensor1D; // [N]
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [weights, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    // Saved, not just captured: the forward pass's tidy frees the ids before the gradient runs.
    save([flatIds]);
    return {
      value: tf.gather(weights, flatIds), // [N, E]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const rowIds = saved[0] as tf.Tensor1D;
        if (tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined) {
          return [tf.unsortedSegmentSum(dy, rowIds, vocab)]; // [V, E]
        }
        const oneHot = tf.oneHot(rowIds, vocab).toFloat(); // [N, V]
        return [tf.matMul(tf.transpose(oneHot), dy as tf.Tensor2D)]; // [V, E]
      },
    };
  });
  const rows = op(table) as tf.Tensor2D; // [N, E]
  return rows.reshape([...ids.shape, table.shape[1]]);
}

/** Strided 'same' convolution; for even inputs and kernel 4, stride 2 it pads 1 on each side. */
export function conv(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  stride: number,
): tf.Tensor4D {
  const y = tf.conv2d(x, kernel, stride, 'same'); // [B, H/s, W/s, out]
  return bias === undefined ? y : y.add(bias);
}

/** Transposed 'same' convolution that multiplies height and width by `stride`; kernel [k, k, out, in]. */
export function convTranspose(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | undefined,
  stride: number,
): tf.Tensor4D {
  const [batch, height, width] = x.shape;
  const out = kernel.shape[2];
  const y = tf.conv2dTranspose(
    x,
    kernel,
    [batch, height * stride, width * stride, out],
    stride,
    'same',
  );
  return bias === undefined ? y : y.add(bias);
}

/** Batch-norm parameters plus the running statistics used at sampling time. */
export interface BatchNormParams {
  gamma: tf.Variable; // [F]
  beta: tf.Variable; // [F]
  runningMean: tf.Variable; // [F]
  runningVar: tf.Variable; // [F]
}

export function batchNormParams(
  params: ParameterSet,
  name: string,
  features: number,
): BatchNormParams {
  return {
    gamma: params.constant(`${name}.gamma`, [features], 1),
    beta: params.constant(`${name}.beta`, [features], 0),
    runningMean: params.constant(`${name}.runningMean`, [features], 0, false),
    runningVar: params.constant(`${name}.runningVar`, [features], 1, false),
  };
}

const BATCH_NORM_EPSILON = 1e-5;
/** PyTorch's default: running = 0.9 · running + 0.1 · batch. */
const BATCH_NORM_MOMENTUM = 0.1;

/**
 * Batch norm over every axis but the last (features or channels). In training it normalises with
 * the batch's statistics and returns them so the caller can update the running ones after the
 * gradient step (assigning inside a gradient closure would be a side effect on the tape).
 */
export function batchNorm(
  x: tf.Tensor,
  bn: BatchNormParams,
  training: boolean,
): { y: tf.Tensor; mean?: tf.Tensor; variance?: tf.Tensor } {
  if (!training) {
    return {
      y: tf.batchNorm(x, bn.runningMean, bn.runningVar, bn.beta, bn.gamma, BATCH_NORM_EPSILON),
    };
  }
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  const y = x
    .sub(mean)
    .mul(tf.rsqrt(variance.add(BATCH_NORM_EPSILON)))
    .mul(bn.gamma)
    .add(bn.beta);
  return { y, mean, variance };
}

/** Moves the running statistics toward a batch's (unbiased variance, as PyTorch does). */
export function updateRunningStats(
  bn: BatchNormParams,
  mean: tf.Tensor,
  variance: tf.Tensor,
  count: number,
): void {
  tf.tidy(() => {
    const unbiased = count > 1 ? variance.mul(count / (count - 1)) : variance;
    bn.runningMean.assign(
      bn.runningMean.mul(1 - BATCH_NORM_MOMENTUM).add(mean.mul(BATCH_NORM_MOMENTUM)),
    );
    bn.runningVar.assign(
      bn.runningVar.mul(1 - BATCH_NORM_MOMENTUM).add(unbiased.mul(BATCH_NORM_MOMENTUM)),
    );
  });
}

/**
 * Mean cross-entropy of logits [N, V] against integer targets [N], with its closed-form gradient
 * (softmax − one-hot) / N: two kernels backward instead of the dozen of autograd through
 * logSoftmax, the one-hot product and the mean.
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows, vocab] = logits.shape;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const shifted = x.sub(x.max(1, true)); // [N, V], each row's largest 0
    const exps = shifted.exp();
    const total = exps.sum(1, true); // [N, 1]
    const oneHot = tf.oneHot(targets, vocab).toFloat(); // [N, V]
    const picked = shifted.mul(oneHot).sum(1, true); // [N, 1]
    save([exps.div(total), oneHot]);
    return {
      value: total.log().sub(picked).mean() as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [probs, hot] = saved as [tf.Tensor2D, tf.Tensor2D];
        return probs.sub(hot).mul(dy.div(rows)); // [N, V]
      },
    };
  });
  return op(logits) as tf.Scalar;
}

/** Mean sigmoid cross-entropy of logits against a constant target, stable for large |logits|. */
export function sigmoidCrossEntropy(logits: tf.Tensor, target: number): tf.Scalar {
  // max(l, 0) − l·y + log(1 + e^−|l|)
  return tf
    .relu(logits)
    .sub(logits.mul(target))
    .add(tf.log1p(tf.exp(tf.abs(logits).neg())))
    .mean() as tf.Scalar;
}

/**
 * KL(q(z|x) ‖ N(0, I)) of a diagonal Gaussian from its mean and log-variance [B, L]: summed over
 * the latents, averaged over the batch (the VAEs' regulariser).
 */
export function gaussianKl(mean: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  return logVar.add(1).sub(mean.square()).sub(logVar.exp()).sum(1).mul(-0.5).mean() as tf.Scalar;
}
