// The deep convolutional GAN ('dcgan'), optionally class-conditional.
//
//   G: z [B, L] (‖ one-hot class [B, K]) → dense (no bias) → BN → LeakyReLU → [B, s, s, g₀]
//      → (convT k×k s2 → BN → LeakyReLU) per further entry of generatorFilters → convT → C → tanh
//   D: x [B, S, S, C] (‖ one-hot class planes [B, S, S, K]) → (conv k×k s2 → LeakyReLU) per entry
//      of discriminatorFilters → flatten → dense → 1 logit
//
// One step is one D update (real + fake, sigmoid cross-entropy, real targets 1 − labelSmoothing)
// then one G update (non-saturating loss) on the same fakes, each with its own Adam. With
// generatorFilters [64, 32], discriminatorFilters [32, 64], latent 64 at 28×28×1 this is the
// reference `dcgan` (276,866 parameters). Batches come in [−1, 1] (config/pixelRange.ts);
// generated images leave in [0, 1].

import * as tf from '@tensorflow/tfjs';
import { Adam } from '../training/optimizer';
import { adversarialUpdate } from '../training/adversarialUpdate';
import {
  affine,
  batchNorm,
  batchNormParams,
  conv,
  convTranspose,
  ParameterSet,
  sigmoidCrossEntropy,
  updateRunningStats,
  type BatchNormParams,
} from './layers';
import { batchNormTraining } from './batchNormTraining';
import { resolveDcganConfig, type DcganConfig } from '../../config/configs';
import {
  readScalars,
  type ImageBatch,
  type ImageGenerator,
  type Metrics,
  type StepOptions,
} from './model';
import { TRAINING_PIXEL_RANGE } from '../../config/pixelRange';

export interface Dcgan extends ImageGenerator {
  readonly family: 'dcgan';
  readonly config: DcganConfig;
}

interface ConvLayer {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

export function buildDcgan(input: unknown = {}, options: { seed?: number } = {}): Dcgan {
  const config = resolveDcganConfig(input);
  const {
    imageSize,
    channels,
    latentDim,
    classCount,
    kernelSize: k,
    leakySlope,
    batchSize,
  } = config;
  const gf = config.generatorFilters;
  const df = config.discriminatorFilters;
  const seed = options.seed ?? 1;
  const gParams = new ParameterSet(seed);
  const dParams = new ParameterSet(seed + 50_000);
  const std = 0.02; // DCGAN's initialisation
  const torchInit = config.init === 'pytorch-default';
  // A kernel under the config's init; `torchFanIn` as pytorchDefault counts it.
  const kernel = (set: ParameterSet, name: string, shape: number[], torchFanIn: number) =>
    torchInit ? set.pytorchDefault(name, shape, torchFanIn) : set.normal(name, shape, std);
  const bias = (set: ParameterSet, name: string, size: number, torchFanIn: number) =>
    torchInit ? set.pytorchDefault(name, [size], torchFanIn, false) : set.constant(name, [size], 0);

  // ---- generator ----
  const base = imageSize / 2 ** gf.length;
  const g0 = gf[0] ?? 1;
  const gDense = kernel(
    gParams,
    'generator.dense.kernel',
    [latentDim + classCount, base * base * g0],
    latentDim + classCount,
  );
  const gDenseNorm = batchNormParams(gParams, 'generator.dense.bn', base * base * g0);
  const upWidths = [...gf.slice(1), channels];
  const gConvs: (ConvLayer & { bn: BatchNormParams | null })[] = upWidths.map((out, i) => {
    const inC = gf[i] ?? 1;
    const last = i === upWidths.length - 1;
    // Transposed: PyTorch's fan-in is out·k·k.
    return {
      kernel: kernel(
        gParams,
        `generator.convT${i}.kernel`,
        [k, k, out, inC],
        out * k * k,
      ) as tf.Tensor4D,
      bias: bias(gParams, `generator.convT${i}.bias`, out, out * k * k) as tf.Tensor1D,
      bn: last ? null : batchNormParams(gParams, `generator.convT${i}.bn`, out),
    };
  });

  // ---- discriminator ----
  const dConvs: ConvLayer[] = df.map((out, i) => {
    const inC = i === 0 ? channels + classCount : (df[i - 1] ?? 1);
    return {
      kernel: kernel(
        dParams,
        `discriminator.conv${i}.kernel`,
        [k, k, inC, out],
        inC * k * k,
      ) as tf.Tensor4D,
      bias: bias(dParams, `discriminator.conv${i}.bias`, out, inC * k * k) as tf.Tensor1D,
    };
  });
  const dSide = imageSize / 2 ** df.length;
  const dFlat = dSide * dSide * (df[df.length - 1] ?? 1);
  const dHead = {
    kernel: kernel(dParams, 'discriminator.head.kernel', [dFlat, 1], dFlat) as tf.Tensor2D,
    bias: bias(dParams, 'discriminator.head.bias', 1, dFlat) as tf.Tensor1D,
  };

  const optG = new Adam(gParams.all, config);
  const optD = new Adam(dParams.all, config);

  /** One batch-norm layer's batch statistics, for its running ones. */
  type BatchStats = { bn: BatchNormParams; mean: tf.Tensor; variance: tf.Tensor; count: number };

  const oneHot = (labels: tf.Tensor1D): tf.Tensor2D =>
    tf.oneHot(labels, classCount).toFloat() as tf.Tensor2D;

  /** G in training mode (batch statistics, returned for the running ones) or sampling mode. */
  function generator(z: tf.Tensor2D, labels: tf.Tensor1D | undefined, training: boolean) {
    // Training mode's batch statistics are kept tensors (batchNormTraining): the caller disposes.
    const stats: BatchStats[] = [];
    const norm = (x: tf.Tensor, bn: BatchNormParams): tf.Tensor => {
      if (!training) return tf.leakyRelu(batchNorm(x, bn, false).y, leakySlope);
      const { y, stats: batch } = batchNormTraining(
        x,
        bn.gamma as tf.Tensor1D,
        bn.beta as tf.Tensor1D,
      );
      // Values per channel (B, or B·H·W after a convolution): the unbiased variance's count.
      stats.push({ bn, ...batch, count: x.size / (x.shape[x.shape.length - 1] as number) });
      return tf.leakyRelu(y, leakySlope);
    };
    const input = classCount > 0 && labels !== undefined ? tf.concat([z, oneHot(labels)], 1) : z; // [B, L+K]
    const dense = norm(affine(input as tf.Tensor2D, gDense as tf.Tensor2D), gDenseNorm); // [B, s·s·g0]
    let h = dense.reshape([z.shape[0], base, base, g0]) as tf.Tensor4D; // [B, s, s, g0]
    for (const layer of gConvs) {
      h = convTranspose(h, layer.kernel, layer.bias, 2); // [B, 2s, 2s, out]
      if (layer.bn !== null) h = norm(h, layer.bn) as tf.Tensor4D;
    }
    return { images: tf.tanh(h) as tf.Tensor4D, stats }; // [B, S, S, C] in [−1, 1]
  }

  function discriminator(x: tf.Tensor4D, labels: tf.Tensor1D | undefined): tf.Tensor2D {
    let h: tf.Tensor4D = x; // [B, S, S, C]
    if (classCount > 0 && labels !== undefined) {
      const planes = oneHot(labels)
        .reshape([x.shape[0], 1, 1, classCount])
        .tile([1, imageSize, imageSize, 1]);
      h = tf.concat([x, planes as tf.Tensor4D], 3); // [B, S, S, C+K]
    }
    for (const layer of dConvs) h = tf.leakyRelu(conv(h, layer.kernel, layer.bias, 2), leakySlope); // [B, S/2, S/2, f]
    return affine(h.reshape([x.shape[0], dFlat]) as tf.Tensor2D, dHead.kernel, dHead.bias); // [B, 1]
  }

  function labelsOf(batch: ImageBatch): tf.Tensor1D | undefined {
    if (classCount === 0) return undefined;
    if (batch.labels === undefined)
      throw new Error('A class-conditional GAN needs labels with every batch');
    return batch.labels;
  }

  function trainStep(batch: ImageBatch, options: StepOptions = {}): Metrics {
    return tf.tidy(() => {
      const labels = labelsOf(batch);
      const b = batch.images.shape[0];
      const real = batch.images; // [B, S, S, C] in [−1, 1]: the batch source maps them
      // [B, L]; fakes take the real batch's classes, so they follow the data's.
      const z = tf.randomNormal([b, latentDim], 0, 1, 'float32', options.seed ?? 1) as tf.Tensor2D;
      const realTarget = 1 - config.labelSmoothing;

      // One generator pass for both updates, as in the reference (training/adversarialUpdate).
      const scores: { real?: tf.Scalar; fake?: tf.Scalar } = {};
      let pending: BatchStats[] = [];
      const { d, g } = adversarialUpdate({
        optD,
        optG,
        learningRateScale: options.learningRateScale,
        generate: () => {
          const { images, stats } = generator(z, labels, true);
          pending = stats; // kept: disposed below
          return images;
        },
        discriminatorLoss: (fake) => {
          const realLogits = discriminator(real, labels); // [B, 1]
          const fakeLogits = discriminator(fake, labels); // [B, 1]
          scores.real = tf.keep(tf.sigmoid(realLogits).mean() as tf.Scalar);
          scores.fake = tf.keep(tf.sigmoid(fakeLogits).mean() as tf.Scalar);
          return sigmoidCrossEntropy(realLogits, realTarget).add(
            sigmoidCrossEntropy(fakeLogits, 0),
          ) as tf.Scalar;
        },
        generatorLoss: (fake) => sigmoidCrossEntropy(discriminator(fake, labels), 1),
      });

      const kept = [scores.real, scores.fake, ...pending.flatMap((s) => [s.mean, s.variance])];
      try {
        for (const s of pending) updateRunningStats(s.bn, s.mean, s.variance, s.count);
        return readScalars({
          dLoss: d.loss,
          gLoss: g.loss,
          dReal: scores.real,
          dFake: scores.fake,
          dGradNorm: d.gradNorm,
          gGradNorm: g.gradNorm,
        });
      } finally {
        for (const t of kept) t?.dispose();
      }
    });
  }

  function evaluate(batch: ImageBatch): Metrics {
    return tf.tidy(() => {
      const logits = discriminator(batch.images, labelsOf(batch));
      return readScalars({
        dRealLoss: sigmoidCrossEntropy(logits, 1),
        dReal: tf.sigmoid(logits).mean() as tf.Scalar,
      });
    });
  }

  const activationsPerExample =
    base * base * g0 * 3 + // dense, BN, activation
    upWidths.reduce((n, f, i) => n + (base * 2 ** (i + 1)) ** 2 * f * 3, 0) +
    2 *
      (imageSize * imageSize * (channels + classCount) +
        df.reduce((n, f, i) => n + (imageSize / 2 ** (i + 1)) ** 2 * f * 2, 0));

  const parameters = (): number => gParams.count() + dParams.count();
  return {
    family: 'dcgan',
    kind: 'image',
    pixelRange: TRAINING_PIXEL_RANGE['dcgan'],
    config,
    batchSize,
    learningRate: config.learningRate,
    imageSize,
    channels,
    latentDim,
    classCount,
    trainStep,
    evaluate,
    generate: (noise, labels) =>
      tf.tidy(() => generator(noise, labels, false).images.add(1).div(2) as tf.Tensor4D), // [N, S, S, C]
    size: () => ({
      parameters: parameters(),
      optimizerState: 2 * parameters(),
      activationsPerExample,
    }),
    checkpointTensors: () => [
      ...gParams.all,
      ...dParams.all,
      ...optG.slots('adamG'),
      ...optD.slots('adamD'),
    ],
    counters: () => ({ 'adamG.step': optG.step, 'adamD.step': optD.step }),
    restoreCounters: (counters) => {
      optG.step = counters['adamG.step'] ?? 0;
      optD.step = counters['adamD.step'] ?? 0;
    },
    dispose: () => {
      optG.dispose();
      optD.dispose();
      gParams.dispose();
      dParams.dispose();
    },
  };
}
