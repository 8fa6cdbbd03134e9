// The dense (MLP) variational autoencoder: small enough to train on the wasm backend in seconds,
// and the studio's first model family ('dense-vae').
//
//   encoder: x [B, D] → ReLU(x·W1 + b1) [B, H] → μ, log σ² [B, L]
//   decoder: z [B, L] → ReLU(z·W3 + b3) [B, H] → logits [B, D] → sigmoid pixels
//
// D = imageSize² · channels, H = hiddenUnits, L = latentDim. Loss = BCE(x, x̂) summed over pixels +
// beta · KL(q(z|x) ‖ N(0, I)) summed over latents, both averaged over the batch.

import * as tf from '@tensorflow/tfjs';
import type { DenseVaeConfig } from '../../protocol';
import { Adam } from '../training/optimizer';
import { affine, affineOfData, ParameterSet, gaussianKl } from './layers';
import { adamModelState } from './adamState';
import { validateDenseVaeConfig } from '../../config/configs';
import {
  readScalars,
  type ImageBatch,
  type ImageGenerator,
  type Metrics,
  type StepOptions,
} from './model';
import { TRAINING_PIXEL_RANGE } from '../../config/pixelRange';

export interface DenseVae extends ImageGenerator {
  readonly family: 'dense-vae';
  readonly config: DenseVaeConfig;
  /** Flattened pixels per image: imageSize² · channels. */
  readonly inputSize: number;
}

export function buildDenseVae(config: DenseVaeConfig): DenseVae {
  validateDenseVaeConfig(config);
  const { imageSize, channels, hiddenUnits: H, latentDim: L, beta, seed } = config;
  const D = imageSize * imageSize * channels;
  const params = new ParameterSet(seed);
  const dense = (name: string, inputs: number, outputs: number) => ({
    kernel: params.glorot(`${name}.kernel`, [inputs, outputs], inputs, outputs) as tf.Tensor2D,
    bias: params.constant(`${name}.bias`, [outputs], 0) as tf.Tensor1D,
  });
  const encoderHidden = dense('encoder.hidden', D, H);
  const encoderStats = dense('encoder.stats', H, 2 * L); // μ and log σ² side by side
  const decoderHidden = dense('decoder.hidden', L, H);
  const decoderOutput = dense('decoder.output', H, D);
  const optimizer = new Adam(params.all, {
    learningRate: config.learningRate,
    beta1: 0.9,
    beta2: 0.999,
    weightDecay: 0,
    gradClip: 0,
  });

  const decodeLogits = (z: tf.Tensor2D): tf.Tensor2D => {
    const hidden = tf.relu(affine(z, decoderHidden.kernel, decoderHidden.bias)); // [B, H]
    return affine(hidden, decoderOutput.kernel, decoderOutput.bias); // [B, D]
  };

  function losses(images: tf.Tensor4D, stepSeed: number) {
    const x = images.reshape([images.shape[0], D]) as tf.Tensor2D; // [B, D]
    const hidden = tf.relu(affineOfData(x, encoderHidden.kernel, encoderHidden.bias)); // [B, H]
    const stats = affine(hidden, encoderStats.kernel, encoderStats.bias); // [B, 2L]
    const [mean, logVar] = tf.split(stats, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [B, L] each
    // tfjs's randomNormal takes a seed of 0 as "no seed" and would not repeat: seeds are ≥ 1.
    const epsilon = tf.randomNormal(mean.shape, 0, 1, 'float32', stepSeed); // [B, L]
    const z = mean.add(logVar.mul(0.5).exp().mul(epsilon)) as tf.Tensor2D; // [B, L]
    const logits = decodeLogits(z); // [B, D]
    // BCE from logits, stable for large |logits|: softplus(l) − x·l.
    const reconstruction = tf.softplus(logits).sub(x.mul(logits)).sum(1).mean() as tf.Scalar;
    const kl = gaussianKl(mean, logVar);
    return { loss: reconstruction.add(kl.mul(beta)) as tf.Scalar, reconstruction, kl };
  }

  function trainStep(batch: ImageBatch, options: StepOptions = {}): Metrics {
    return tf.tidy(() => {
      let parts: { reconstruction: tf.Scalar; kl: tf.Scalar } | null = null;
      const { loss } = optimizer.minimize(() => {
        const result = losses(batch.images, options.seed ?? 1);
        // Kept past the gradient's inner tidy so the step can report the parts.
        parts = { reconstruction: tf.keep(result.reconstruction), kl: tf.keep(result.kl) };
        return result.loss;
      }, options.learningRateScale);
      const kept = parts as { reconstruction: tf.Scalar; kl: tf.Scalar } | null;
      try {
        return readScalars({ loss, reconstruction: kept?.reconstruction, kl: kept?.kl });
      } finally {
        // tf.keep survives the enclosing tidy too, so the parts are freed by hand.
        kept?.reconstruction.dispose();
        kept?.kl.dispose();
      }
    });
  }

  return {
    family: 'dense-vae',
    kind: 'image',
    pixelRange: TRAINING_PIXEL_RANGE['dense-vae'],
    config,
    inputSize: D,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    imageSize,
    channels,
    latentDim: L,
    classCount: 0,
    trainStep,
    evaluate: (batch) =>
      tf.tidy(() => {
        const { loss, reconstruction, kl } = losses(batch.images, 1);
        return readScalars({ loss, reconstruction, kl });
      }),
    generate: (noise) =>
      tf.tidy(
        () =>
          tf
            .sigmoid(decodeLogits(noise))
            .reshape([noise.shape[0], imageSize, imageSize, channels]) as tf.Tensor4D,
      ),
    ...adamModelState(params, optimizer, 3 * D + 3 * H + 4 * L),
  };
}
