// The dense (MLP) variational autoencoder: small enough to train on the wasm backend in seconds,
// and the studio's first model family ('dense-vae').
//
//   encoder: x [B, D] → ReLU(x·W1 + b1) [B, H] → μ, log σ² [B, L]
//   decoder: z [B, L] → ReLU(z·W3 + b3) [B, H] → logits [B, D] → sigmoid pixels
//
// D = imageSize² · channels, H = hiddenUnits, L = latentDim. Loss = BCE(x, x̂) summed over pixels +
// beta · KL(q(z|x) ‖ N(0, I)) summed over latents, both averaged over the batch.

import * as tf from '@tensorflow/tfjs';
import type { DenseVaeConfig } from '../protocol';

/** What one optimiser step measured, as plain numbers. */
export interface StepMetrics {
  loss: number;
  reconstruction: number;
  kl: number;
}

/** The shape of an image model the training loop drives. */
export interface ImageModel {
  /** Flattened pixels per image: imageSize² · channels. */
  readonly inputSize: number;
  readonly latentDim: number;
  /**
   * Trains on one batch [B, D] in [0, 1]; `seed` (an integer ≥ 0) makes the reparameterisation
   * noise repeatable.
   */
  trainStep(batch: tf.Tensor2D, seed: number): StepMetrics;
  /** Decodes latent noise [N, L] to pixels [N, D] in [0, 1]; the caller disposes the result. */
  sample(noise: tf.Tensor2D): tf.Tensor2D;
  /** Tensors the model owns (weights and optimiser slots), for tests of tensor hygiene. */
  dispose(): void;
}

interface DenseLayer {
  kernel: tf.Variable; // [in, out]
  bias: tf.Variable; // [out]
}

/**
 * Glorot-uniform weights from a seed, zero biases: the Keras default for dense layers. Variables
 * stay unnamed: tfjs names are global to the engine, and two models may coexist.
 */
function denseLayer(inputs: number, outputs: number, seed: number): DenseLayer {
  const limit = Math.sqrt(6 / (inputs + outputs));
  // tidy frees the initial values; the variables keep their own reference to the data.
  return tf.tidy(() => ({
    kernel: tf.variable(tf.randomUniform([inputs, outputs], -limit, limit, 'float32', seed)),
    bias: tf.variable(tf.zeros([outputs])),
  }));
}

/**
 * x·W + b with a gradient that transposes explicitly. The wasm backend's matMul with a transpose
 * flag is ~8× slower than transpose-then-matMul (measured here: 9 ms vs 1 ms for the [784, 64]ᵀ ·
 * [64, 256] of a weight gradient), and tfjs's own gradient of matMul uses the flags.
 */
const affine = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  // customGrad passes the inputs then the save function; the casts name what the call site passes.
  const [x, kernel, bias, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, kernel]);
  return {
    value: tf.fused.matMul({ a: x, b: kernel, bias }), // [B, out]
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [input, weights] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [
        tf.matMul(dy, tf.transpose(weights)), // [B, in]
        tf.matMul(tf.transpose(input), dy), // [in, out]
        tf.sum(dy, 0), // [out]
      ];
    },
  };
});

/**
 * The first layer's x·W + b, where x is data: no gradient is computed for x, which would be the
 * widest matMul of the backward pass ([B, H]·[H, D]) and is never used.
 */
function affineOfData(data: tf.Tensor2D, layer: DenseLayer): tf.Tensor2D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [kernel, bias] = args as [tf.Tensor2D, tf.Tensor1D];
    return {
      value: tf.fused.matMul({ a: data, b: kernel, bias }), // [B, out]
      gradFunc: (dy: tf.Tensor) => [
        tf.matMul(tf.transpose(data), dy), // [in, out]
        tf.sum(dy, 0), // [out]
      ],
    };
  });
  return op(layer.kernel, layer.bias) as tf.Tensor2D;
}

function apply(layer: DenseLayer, input: tf.Tensor2D, activation?: 'relu'): tf.Tensor2D {
  const output = affine(input, layer.kernel, layer.bias) as tf.Tensor2D; // [B, out]
  return activation === 'relu' ? tf.relu(output) : output;
}

export function validateDenseVaeConfig(config: DenseVaeConfig): void {
  const positiveIntegers: (keyof DenseVaeConfig)[] = [
    'imageSize',
    'channels',
    'latentDim',
    'hiddenUnits',
    'batchSize',
    'steps',
  ];
  for (const key of positiveIntegers) {
    const value = config[key];
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`DenseVaeConfig.${key} must be a positive integer, got ${String(value)}`);
    }
  }
  if (!(config.learningRate > 0) || !Number.isFinite(config.learningRate)) {
    throw new Error(`DenseVaeConfig.learningRate must be a positive number`);
  }
  if (!(config.beta >= 0) || !Number.isFinite(config.beta)) {
    throw new Error(`DenseVaeConfig.beta must be a number >= 0`);
  }
  if (!Number.isInteger(config.seed)) throw new Error(`DenseVaeConfig.seed must be an integer`);
}

export function buildDenseVae(config: DenseVaeConfig): ImageModel {
  validateDenseVaeConfig(config);
  const { imageSize, channels, hiddenUnits, latentDim, beta, seed } = config;
  const inputSize = imageSize * imageSize * channels;

  // Distinct seeds per layer, derived from the run's seed, so a run is repeatable end to end.
  const encoderHidden = denseLayer(inputSize, hiddenUnits, seed * 8 + 1);
  const encoderMean = denseLayer(hiddenUnits, latentDim, seed * 8 + 2);
  const encoderLogVar = denseLayer(hiddenUnits, latentDim, seed * 8 + 3);
  const decoderHidden = denseLayer(latentDim, hiddenUnits, seed * 8 + 4);
  const decoderOutput = denseLayer(hiddenUnits, inputSize, seed * 8 + 5);
  const layers = [encoderHidden, encoderMean, encoderLogVar, decoderHidden, decoderOutput];
  const trainable = layers.flatMap((layer) => [layer.kernel, layer.bias]);
  const optimizer = tf.train.adam(config.learningRate);

  const decodeLogits = (z: tf.Tensor2D): tf.Tensor2D =>
    apply(decoderOutput, apply(decoderHidden, z, 'relu')); // [B, D]

  function trainStep(batch: tf.Tensor2D, stepSeed: number): StepMetrics {
    return tf.tidy(() => {
      // Filled inside the loss closure (TS does not track assignments made in callbacks).
      const parts: { reconstruction?: tf.Scalar; kl?: tf.Scalar } = {};
      const loss = optimizer.minimize(
        () => {
          const hidden = tf.relu(affineOfData(batch, encoderHidden)); // [B, H]
          const mean = apply(encoderMean, hidden); // [B, L]
          const logVar = apply(encoderLogVar, hidden); // [B, L]
          // +1: tfjs's randomNormal takes a seed of 0 as "no seed" and would not repeat.
          const epsilon = tf.randomNormal(mean.shape, 0, 1, 'float32', stepSeed + 1); // [B, L]
          const z = mean.add(logVar.mul(0.5).exp().mul(epsilon)) as tf.Tensor2D; // [B, L]
          const logits = decodeLogits(z); // [B, D]
          // BCE from logits, stable for large |logits|: softplus(l) − x·l.
          const bce = tf.softplus(logits).sub(batch.mul(logits)); // [B, D]
          const recon = bce.sum(1).mean() as tf.Scalar;
          const klPerImage = logVar.add(1).sub(mean.square()).sub(logVar.exp()).sum(1).mul(-0.5); // [B]
          const klMean = klPerImage.mean() as tf.Scalar;
          // Kept past minimize's inner tidy so the step can report the parts; freed once read.
          parts.reconstruction = tf.keep(recon);
          parts.kl = tf.keep(klMean);
          return recon.add(klMean.mul(beta)) as tf.Scalar;
        },
        true,
        trainable,
      );
      const { reconstruction, kl } = parts;
      let values: Float32Array | Int32Array | Uint8Array;
      try {
        if (loss === null || reconstruction === undefined || kl === undefined) {
          throw new Error('The optimiser returned no loss');
        }
        // One read back from the backend for all three numbers.
        values = tf.stack([loss, reconstruction, kl]).dataSync();
      } finally {
        // tf.keep survives every tidy, the enclosing one too, so the parts are freed by hand.
        reconstruction?.dispose();
        kl?.dispose();
      }
      return { loss: values[0] ?? NaN, reconstruction: values[1] ?? NaN, kl: values[2] ?? NaN };
    });
  }

  function sample(noise: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(decodeLogits(noise))); // [N, D]
  }

  function dispose(): void {
    optimizer.dispose();
    for (const variable of trainable) variable.dispose();
  }

  return { inputSize, latentDim, trainStep, sample, dispose };
}
