// Adam and AdamW (decoupled weight decay), with gradient clipping by global norm and a learning
// rate the training loop scales each step (warm-up, cosine). Written here rather than using
// tf.train.adam because a checkpoint needs every slot by name and the step count as a number, the
// schedule needs the rate per step, and AdamW is not in tfjs.
//
// The update is PyTorch's: m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²;
// p ← p − lr·wd·p (AdamW); p ← p − (lr / (1−β1ᵗ)) · m / (√v / √(1−β2ᵗ) + ε).
//
// Where the backend has the studio's fused kernels (wasm: main/ml/wasm/adamUpdate.ts), the update
// is one kernel per parameter and the global norm one kernel per step instead of ≈ 14 small
// kernels per parameter; elsewhere (tfjs-node, cpu) the same maths op by op.

import * as tf from '@tensorflow/tfjs';
import type { Parameter } from '../models/layers';
import { ADAM_UPDATE, GLOBAL_NORM, type AdamUpdateAttrs } from '../wasm/adamUpdate';

export interface AdamOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Decoupled weight decay (AdamW) on the parameters marked `decay`; 0 is plain Adam. */
  weightDecay: number;
  /** Clip gradients to this global L2 norm; 0 turns clipping off. */
  gradClip: number;
  epsilon?: number;
}

/** What one update returns: its loss and, when clipping is on, the gradient's global norm. */
export interface Minimized {
  loss: tf.Scalar;
  /** Before clipping; null when clipping is off. */
  gradNorm: tf.Scalar | null;
}

export class Adam {
  /** Steps taken, for bias correction; saved in checkpoints. */
  step = 0;
  private readonly params: Parameter[];
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  private readonly epsilon: number;

  /** Slots are made up front (zeros), so a model's tensor count is fixed from the start. */
  constructor(
    params: Parameter[],
    readonly options: AdamOptions,
  ) {
    this.params = params.filter((p) => p.trainable);
    this.epsilon = options.epsilon ?? 1e-8;
    // tidy frees the zeros; each variable keeps its own reference to the data.
    const slot = (p: Parameter): tf.Variable =>
      tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false));
    this.m = this.params.map(slot);
    this.v = this.params.map(slot);
  }

  get variables(): tf.Variable[] {
    return this.params.map((p) => p.variable);
  }

  /** The slots as checkpoint entries, named after their parameters under `prefix`. */
  slots(prefix: string): { name: string; variable: tf.Variable }[] {
    return this.params.flatMap((p, i) => [
      { name: `${prefix}.m.${p.name}`, variable: this.m[i] as tf.Variable },
      { name: `${prefix}.v.${p.name}`, variable: this.v[i] as tf.Variable },
    ]);
  }

  /**
   * Computes the gradients of `loss` for this optimiser's parameters and applies one update.
   * Call inside tf.tidy. Returns the loss and, when clipping is on, the gradient's global norm
   * (before clipping), both as tensors still to be read.
   */
  minimize(loss: () => tf.Scalar, learningRateScale = 1): Minimized {
    const variables = this.variables;
    const { value, grads } = tf.variableGrads(loss, variables);
    const ordered = variables.map((variable) => {
      const grad = grads[variable.name];
      if (grad === undefined) throw new Error('A parameter received no gradient');
      return grad;
    });
    const gradNorm = this.apply(ordered, learningRateScale);
    return { loss: value, gradNorm };
  }

  /** Applies gradients given in the order of the parameters. */
  apply(grads: tf.Tensor[], learningRateScale = 1): tf.Scalar | null {
    const { beta1, beta2, weightDecay, gradClip } = this.options;
    const learningRate = this.options.learningRate * learningRateScale;
    const backend = tf.getBackend();
    let gradNorm: tf.Scalar | null = null;
    let scale: tf.Scalar | null = null;
    if (gradClip > 0) {
      gradNorm =
        tf.getKernel(GLOBAL_NORM, backend) !== undefined
          ? (tf.engine().runKernel(GLOBAL_NORM, grads as unknown as tf.NamedTensorMap) as tf.Scalar)
          : (tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
      // min(1, clip / norm): a NaN norm stays NaN, so divergence is still reported.
      scale = tf.minimum(1, tf.div(gradClip, tf.add(gradNorm, 1e-6))) as tf.Scalar;
    }
    this.step++;
    const correction1 = 1 - beta1 ** this.step;
    const correction2 = Math.sqrt(1 - beta2 ** this.step);
    const fused = tf.getKernel(ADAM_UPDATE, backend) !== undefined;
    this.params.forEach((param, i) => {
      const m = this.m[i] as tf.Variable;
      const v = this.v[i] as tf.Variable;
      const raw = grads[i] as tf.Tensor;
      const decay = weightDecay > 0 && param.decay;
      if (fused) {
        const attrs: AdamUpdateAttrs = {
          beta1,
          beta2,
          epsilon: this.epsilon,
          decayFactor: decay ? 1 - learningRate * weightDecay : 1,
          correction2,
          stepSize: learningRate / correction1,
        };
        const inputs: tf.NamedTensorMap = { param: param.variable, m, v, grad: raw };
        if (scale !== null) inputs.clipScale = scale;
        const [p1, m1, v1] = tf
          .engine()
          .runKernel(ADAM_UPDATE, inputs, { ...attrs }) as tf.Tensor[];
        // assign keeps each variable (the checkpoint's entries) and takes the new data as is.
        m.assign(m1 as tf.Tensor);
        v.assign(v1 as tf.Tensor);
        param.variable.assign(p1 as tf.Tensor);
        return;
      }
      const grad = scale === null ? raw : raw.mul(scale);
      m.assign(m.mul(beta1).add(grad.mul(1 - beta1)));
      v.assign(v.mul(beta2).add(grad.square().mul(1 - beta2)));
      let value: tf.Tensor = param.variable;
      if (decay) value = value.mul(1 - learningRate * weightDecay);
      const denominator = v.sqrt().div(correction2).add(this.epsilon);
      param.variable.assign(value.sub(m.div(denominator).mul(learningRate / correction1)));
    });
    return gradNorm;
  }

  dispose(): void {
    for (const slot of [...this.m, ...this.v]) slot.dispose();
  }
}
