// The convolutional variational autoencoder ('conv-vae').
//
//   encoder: x [B, S, S, C] → (conv k×k s2 → ReLU) per entry of `filters` → flatten → dense → μ, log σ² [B, L]
//   decoder: z [B, L] → dense → ReLU → [B, S/2ⁿ, S/2ⁿ, fₙ] → (convT k×k s2 → ReLU) mirrored → convT → C → sigmoid
//
// Loss = BCE(x, x̂) summed over pixels + β · KL(q(z|x) ‖ N(0, I)) summed over latents, both
// averaged over the batch. With filters [32, 64], kernel 4, latent 16 at 28×28×1 this is exactly
// the reference `vae` of bench/REFERENCE_MODELS.md (220,385 parameters).

import * as tf from '@tensorflow/tfjs';
import { Adam } from '../training/optimizer';
import { affine, conv, convTranspose, ParameterSet, gaussianKl } from './layers';
import { adamModelState } from './adamState';
import { resolveConvVaeConfig, type ConvVaeConfig } from '../../config/configs';
import {
  readScalars,
  type ImageBatch,
  type ImageGenerator,
  type Metrics,
  type StepOptions,
} from './model';
import { TRAINING_PIXEL_RANGE } from '../../config/pixelRange';

export interface ConvVae extends ImageGenerator {
  readonly family: 'conv-vae';
  readonly config: ConvVaeConfig;
  /** The posterior means [N, L] of images [N, S, S, C], for interpolating between images. */
  encode(images: tf.Tensor4D): tf.Tensor2D;
}

export function buildConvVae(input: unknown = {}, options: { seed?: number } = {}): ConvVae {
  const config = resolveConvVaeConfig(input);
  const { imageSize, channels, latentDim, filters, kernelSize: k, beta, batchSize } = config;
  const params = new ParameterSet(options.seed ?? 1);
  const base = imageSize / 2 ** filters.length; // side of the smallest feature map
  const last = filters[filters.length - 1] ?? 1;
  const flat = base * base * last;

  // One layer's kernel [.., out] or [.., out, in] (transposed) and its bias of `outputs`, under
  // the config's init. Glorot counts fan-in and fan-out as the layer's inputs and outputs per
  // position; PyTorch's fan-in (`fan.torchIn`) is in·k·k for a convolution but out·k·k for a
  // transposed one, as it reads it from the weight's second dimension.
  const initLayer = (
    name: string,
    shape: number[],
    outputs: number,
    fan: { in: number; out: number; torchIn: number },
  ) =>
    config.init === 'pytorch-default'
      ? {
          kernel: params.pytorchDefault(`${name}.kernel`, shape, fan.torchIn),
          bias: params.pytorchDefault(`${name}.bias`, [outputs], fan.torchIn, false),
        }
      : {
          kernel: params.glorot(`${name}.kernel`, shape, fan.in, fan.out),
          bias: params.constant(`${name}.bias`, [outputs], 0),
        };
  const encoderConvs = filters.map((out, i) => {
    const inC = i === 0 ? channels : (filters[i - 1] ?? 1);
    const fan = { in: k * k * inC, out: k * k * out, torchIn: k * k * inC };
    return initLayer(`encoder.conv${i}`, [k, k, inC, out], out, fan);
  });
  const head = initLayer('encoder.head', [flat, 2 * latentDim], 2 * latentDim, {
    in: flat,
    out: 2 * latentDim,
    torchIn: flat,
  });
  const decoderIn = initLayer('decoder.dense', [latentDim, flat], flat, {
    in: latentDim,
    out: flat,
    torchIn: latentDim,
  });
  // Mirrored widths: [64, 32] → then the image channels.
  const upWidths = [...filters].reverse().slice(1).concat([channels]);
  const decoderConvs = upWidths.map((out, i) => {
    const inC = i === 0 ? last : (upWidths[i - 1] ?? 1);
    const fan = { in: k * k * inC, out: k * k * out, torchIn: k * k * out };
    return initLayer(`decoder.convT${i}`, [k, k, out, inC], out, fan);
  });
  const optimizer = new Adam(params.all, config);

  function encodeStats(x: tf.Tensor4D): { mean: tf.Tensor2D; logVar: tf.Tensor2D } {
    let h: tf.Tensor4D = x; // [B, S, S, C]
    for (const layer of encoderConvs) {
      h = tf.relu(conv(h, layer.kernel as tf.Tensor4D, layer.bias as tf.Tensor1D, 2)); // [B, S/2, S/2, f]
    }
    const flatH = h.reshape([x.shape[0], flat]) as tf.Tensor2D; // [B, F]
    const stats = affine(flatH, head.kernel as tf.Tensor2D, head.bias as tf.Tensor1D); // [B, 2L]
    const [mean, logVar] = tf.split(stats, 2, 1) as [tf.Tensor2D, tf.Tensor2D]; // [B, L] each
    return { mean, logVar };
  }

  function decodeLogits(z: tf.Tensor2D): tf.Tensor4D {
    const dense = tf.relu(
      affine(z, decoderIn.kernel as tf.Tensor2D, decoderIn.bias as tf.Tensor1D),
    ); // [B, F]
    let h = dense.reshape([z.shape[0], base, base, last]) as tf.Tensor4D; // [B, s, s, f_last]
    decoderConvs.forEach((layer, i) => {
      h = convTranspose(h, layer.kernel as tf.Tensor4D, layer.bias as tf.Tensor1D, 2); // [B, 2s, 2s, out]
      if (i < decoderConvs.length - 1) h = tf.relu(h);
    });
    return h; // [B, S, S, C] logits
  }

  function losses(x: tf.Tensor4D, seed: number | undefined) {
    const { mean, logVar } = encodeStats(x);
    // tfjs's randomNormal takes a seed of 0 as "no seed": callers pass ≥ 1, the default is 1.
    const epsilon = tf.randomNormal(mean.shape, 0, 1, 'float32', seed ?? 1); // [B, L]
    const z = mean.add(logVar.mul(0.5).exp().mul(epsilon)) as tf.Tensor2D; // [B, L]
    const logits = decodeLogits(z); // [B, S, S, C]
    // BCE from logits, stable for large |logits|: softplus(l) − x·l, summed per image.
    const reconstruction = tf
      .softplus(logits)
      .sub(x.mul(logits))
      .sum([1, 2, 3])
      .mean() as tf.Scalar;
    const kl = gaussianKl(mean, logVar);
    return { loss: reconstruction.add(kl.mul(beta)) as tf.Scalar, reconstruction, kl };
  }

  function trainStep(batch: ImageBatch, options: StepOptions = {}): Metrics {
    return tf.tidy(() => {
      let parts: { reconstruction: tf.Scalar; kl: tf.Scalar } | null = null;
      const { loss, gradNorm } = optimizer.minimize(() => {
        const result = losses(batch.images, options.seed);
        // Kept past the gradient's inner tidy so the step can report the parts.
        parts = { reconstruction: tf.keep(result.reconstruction), kl: tf.keep(result.kl) };
        return result.loss;
      }, options.learningRateScale);
      const kept = parts as { reconstruction: tf.Scalar; kl: tf.Scalar } | null;
      try {
        return readScalars({ loss, reconstruction: kept?.reconstruction, kl: kept?.kl, gradNorm });
      } finally {
        // tf.keep survives the enclosing tidy too, so the parts are freed by hand.
        kept?.reconstruction.dispose();
        kept?.kl.dispose();
      }
    });
  }

  function evaluate(batch: ImageBatch): Metrics {
    return tf.tidy(() => {
      const { loss, reconstruction, kl } = losses(batch.images, 1);
      return readScalars({ loss, reconstruction, kl });
    });
  }

  const activationsPerExample =
    filters.reduce((n, f, i) => n + (imageSize / 2 ** (i + 1)) ** 2 * f, 0) + // encoder maps
    4 * latentDim + // μ, log σ², ε, z
    flat +
    upWidths.reduce((n, f, i) => n + (base * 2 ** (i + 1)) ** 2 * f, 0) * 2; // maps, plus the loss terms

  return {
    family: 'conv-vae',
    kind: 'image',
    pixelRange: TRAINING_PIXEL_RANGE['conv-vae'],
    config,
    batchSize,
    learningRate: config.learningRate,
    imageSize,
    channels,
    latentDim,
    classCount: 0,
    trainStep,
    evaluate,
    generate: (noise) => tf.tidy(() => tf.sigmoid(decodeLogits(noise))), // [N, S, S, C]
    encode: (images) => tf.tidy(() => encodeStats(images).mean), // [N, L]
    ...adamModelState(params, optimizer, activationsPerExample),
  };
}
