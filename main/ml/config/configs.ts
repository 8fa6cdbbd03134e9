// Every model family's config as typed data with defaults: tfjs-free, so that the presets (which
// run in the main process) and the worker resolve configs with the same rules. A resolved config
// is one its builder can build: defaults filled in, unknown keys rejected, every field checked.

import type { ModelFamily, ModelKind } from '../../../preload/contract';
import {
  optimizerSchema,
  resolveConfig,
  type ConfigSchema,
  type OptimizerFields,
} from './configSchema';

// ---- conv-vae ----

export interface ConvVaeConfig extends OptimizerFields {
  imageSize: number;
  channels: number;
  latentDim: number;
  /** Encoder conv widths, each halving the image; the decoder mirrors them. */
  filters: number[];
  kernelSize: number;
  /** Weight of the KL term (β-VAE); 1 is the plain VAE. */
  beta: number;
  batchSize: number;
  /**
   * Initial weights: 'glorot' (Glorot-uniform kernels, zero biases: Keras's default) or
   * 'pytorch-default' (PyTorch's layer defaults, for runs set beside a PyTorch twin).
   */
  init: 'glorot' | 'pytorch-default';
}

export const CONV_VAE_SCHEMA: ConfigSchema<ConvVaeConfig> = {
  imageSize: { type: 'integer', min: 4, max: 256, default: 28 },
  channels: { type: 'integer', min: 1, max: 4, default: 1 },
  latentDim: { type: 'integer', min: 1, max: 1024, default: 16 },
  filters: { type: 'integer[]', min: 1, max: 1024, default: [32, 64] },
  kernelSize: { type: 'integer', min: 2, max: 8, default: 4 },
  beta: { type: 'number', min: 0, default: 1 },
  batchSize: { type: 'integer', min: 1, max: 4096, default: 64 },
  init: { type: 'string', oneOf: ['glorot', 'pytorch-default'], default: 'glorot' },
  ...optimizerSchema({ learningRate: 1e-3, beta1: 0.9, beta2: 0.999, weightDecay: 0, gradClip: 0 }),
};

export function resolveConvVaeConfig(input: unknown = {}): ConvVaeConfig {
  const config = resolveConfig('ConvVaeConfig', CONV_VAE_SCHEMA, input);
  const factor = 2 ** config.filters.length;
  if (config.imageSize % factor !== 0) {
    throw new Error(
      `ConvVaeConfig.imageSize ${config.imageSize} must be divisible by ${factor} for ${config.filters.length} stride-2 layers`,
    );
  }
  return config;
}

// ---- dcgan ----

export interface DcganConfig extends OptimizerFields {
  imageSize: number;
  channels: number;
  latentDim: number;
  /** Width of G's first feature map, then of each upsampling before the last (which makes C). */
  generatorFilters: number[];
  /** D's conv widths, each halving the image. */
  discriminatorFilters: number[];
  kernelSize: number;
  /** Classes to condition on; 0 for an unconditional GAN. */
  classCount: number;
  leakySlope: number;
  /** One-sided label smoothing: D's real targets are 1 − labelSmoothing. */
  labelSmoothing: number;
  batchSize: number;
  /**
   * Initial weights: 'dcgan' (N(0, 0.02) kernels, zero biases, as the DCGAN paper) or
   * 'pytorch-default' (PyTorch's layer defaults, for runs set beside a PyTorch twin).
   */
  init: 'dcgan' | 'pytorch-default';
}

export const DCGAN_SCHEMA: ConfigSchema<DcganConfig> = {
  imageSize: { type: 'integer', min: 4, max: 256, default: 28 },
  channels: { type: 'integer', min: 1, max: 4, default: 1 },
  latentDim: { type: 'integer', min: 1, max: 1024, default: 64 },
  generatorFilters: { type: 'integer[]', min: 1, max: 2048, default: [64, 32] },
  discriminatorFilters: { type: 'integer[]', min: 1, max: 2048, default: [32, 64] },
  kernelSize: { type: 'integer', min: 2, max: 8, default: 4 },
  classCount: { type: 'integer', min: 0, max: 1000, default: 0 },
  leakySlope: { type: 'number', min: 0, max: 1, default: 0.2 },
  labelSmoothing: { type: 'number', min: 0, max: 0.5, default: 0.1 },
  batchSize: { type: 'integer', min: 2, max: 4096, default: 64 },
  init: { type: 'string', oneOf: ['dcgan', 'pytorch-default'], default: 'dcgan' },
  ...optimizerSchema({ learningRate: 2e-4, beta1: 0.5, beta2: 0.999, weightDecay: 0, gradClip: 0 }),
};

export function resolveDcganConfig(input: unknown = {}): DcganConfig {
  const config = resolveConfig('DcganConfig', DCGAN_SCHEMA, input);
  for (const key of ['generatorFilters', 'discriminatorFilters'] as const) {
    const factor = 2 ** config[key].length;
    if (config.imageSize % factor !== 0) {
      throw new Error(
        `DcganConfig.imageSize ${config.imageSize} must be divisible by ${factor} for ${config[key].length} stride-2 layers (${key})`,
      );
    }
  }
  return config;
}

// ---- char-rnn ----

export interface CharRnnConfig extends OptimizerFields {
  cell: 'lstm' | 'gru';
  vocabSize: number;
  /** Characters per training window (backpropagation through time runs over all of them). */
  sequenceLength: number;
  embeddingDim: number;
  hiddenUnits: number;
  layers: number;
  batchSize: number;
}

export const CHAR_RNN_SCHEMA: ConfigSchema<CharRnnConfig> = {
  cell: { type: 'string', oneOf: ['lstm', 'gru'], default: 'lstm' },
  vocabSize: { type: 'integer', min: 2, max: 65_536, default: 96 },
  sequenceLength: { type: 'integer', min: 1, max: 4096, default: 128 },
  embeddingDim: { type: 'integer', min: 1, max: 4096, default: 64 },
  hiddenUnits: { type: 'integer', min: 1, max: 4096, default: 256 },
  layers: { type: 'integer', min: 1, max: 3, default: 1 },
  batchSize: { type: 'integer', min: 1, max: 4096, default: 32 },
  ...optimizerSchema({ learningRate: 2e-3, beta1: 0.9, beta2: 0.999, weightDecay: 0, gradClip: 0 }),
};

export function resolveCharRnnConfig(input: unknown = {}): CharRnnConfig {
  return resolveConfig('CharRnnConfig', CHAR_RNN_SCHEMA, input);
}

// ---- char-gpt ----

export interface CharGptConfig extends OptimizerFields {
  vocabSize: number;
  /** Longest context the model attends over (its learned positions). */
  contextLength: number;
  layers: number;
  heads: number;
  /** Embedding width C; divisible by heads. */
  width: number;
  mlpRatio: number;
  batchSize: number;
}

export const CHAR_GPT_SCHEMA: ConfigSchema<CharGptConfig> = {
  vocabSize: { type: 'integer', min: 2, max: 65_536, default: 96 },
  contextLength: { type: 'integer', min: 1, max: 4096, default: 128 },
  layers: { type: 'integer', min: 1, max: 48, default: 4 },
  heads: { type: 'integer', min: 1, max: 64, default: 4 },
  width: { type: 'integer', min: 1, max: 4096, default: 128 },
  mlpRatio: { type: 'integer', min: 1, max: 8, default: 4 },
  batchSize: { type: 'integer', min: 1, max: 4096, default: 32 },
  ...optimizerSchema({
    learningRate: 3e-4,
    beta1: 0.9,
    beta2: 0.99,
    weightDecay: 0.1,
    gradClip: 1,
  }),
};

export function resolveCharGptConfig(input: unknown = {}): CharGptConfig {
  const config = resolveConfig('CharGptConfig', CHAR_GPT_SCHEMA, input);
  if (config.width % config.heads !== 0) {
    throw new Error(
      `CharGptConfig.width ${config.width} must be divisible by heads ${config.heads}`,
    );
  }
  return config;
}

// ---- dense-vae ----

export interface DenseVaeConfig {
  imageSize: number;
  channels: number;
  latentDim: number;
  hiddenUnits: number;
  batchSize: number;
  steps: number;
  learningRate: number;
  /** Weight of the KL term (beta-VAE); 1 is the plain VAE. */
  beta: number;
  seed: number;
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
  const known = new Set<string>(['learningRate', 'beta', 'seed', ...positiveIntegers]);
  const unknown = Object.keys(config).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`DenseVaeConfig has unknown keys: ${unknown.join(', ')}`);
}

// ---- the families ----

export interface ModelConfigs {
  'dense-vae': DenseVaeConfig;
  'conv-vae': ConvVaeConfig;
  dcgan: DcganConfig;
  'char-rnn': CharRnnConfig;
  'char-gpt': CharGptConfig;
}

/** A family with its resolved config, discriminated by `family`. */
export type FamilyConfig = {
  [F in ModelFamily]: { family: F; config: ModelConfigs[F] };
}[ModelFamily];

export const MODEL_FAMILIES: readonly ModelFamily[] = [
  'dense-vae',
  'conv-vae',
  'dcgan',
  'char-rnn',
  'char-gpt',
];

const KINDS: Record<ModelFamily, ModelKind> = {
  'dense-vae': 'image',
  'conv-vae': 'image',
  dcgan: 'image',
  'char-rnn': 'text',
  'char-gpt': 'text',
};

export function isModelFamily(value: unknown): value is ModelFamily {
  return typeof value === 'string' && (MODEL_FAMILIES as readonly string[]).includes(value);
}

export function kindOf(family: ModelFamily): ModelKind {
  return KINDS[family];
}

/** Defaults filled in and unknown keys rejected; throws an Error naming the bad field. */
export function resolveFamilyConfig(family: ModelFamily, input: unknown): FamilyConfig {
  switch (family) {
    case 'dense-vae': {
      const config = { ...(input as DenseVaeConfig) };
      validateDenseVaeConfig(config);
      return { family, config };
    }
    case 'conv-vae':
      return { family, config: resolveConvVaeConfig(input) };
    case 'dcgan':
      return { family, config: resolveDcganConfig(input) };
    case 'char-rnn':
      return { family, config: resolveCharRnnConfig(input) };
    case 'char-gpt':
      return { family, config: resolveCharGptConfig(input) };
  }
}

const convParams = (k: number, inputs: number, outputs: number): number =>
  k * k * inputs * outputs + outputs;

/** Trainable parameters of a family's network, from its config alone (the builders agree: tested). */
export function parameterCount(spec: FamilyConfig): number {
  switch (spec.family) {
    case 'dense-vae': {
      const { imageSize, channels, hiddenUnits: h, latentDim: l } = spec.config;
      const d = imageSize * imageSize * channels;
      return d * h + h + h * 2 * l + 2 * l + l * h + h + h * d + d;
    }
    case 'conv-vae': {
      const { imageSize, channels, latentDim: l, filters, kernelSize: k } = spec.config;
      const base = imageSize / 2 ** filters.length;
      const flat = base * base * (filters[filters.length - 1] ?? 1);
      const widths = [channels, ...filters];
      let n = 0;
      for (let i = 1; i < widths.length; i++) {
        // The encoder's conv and the decoder's mirrored transposed conv.
        n += convParams(k, widths[i - 1] ?? 1, widths[i] ?? 1);
        n += k * k * (widths[i - 1] ?? 1) * (widths[i] ?? 1) + (widths[i - 1] ?? 1);
      }
      return n + flat * 2 * l + 2 * l + l * flat + flat;
    }
    case 'dcgan': {
      const c = spec.config;
      const k = c.kernelSize;
      const base = c.imageSize / 2 ** c.generatorFilters.length;
      const g0 = c.generatorFilters[0] ?? 1;
      let n = (c.latentDim + c.classCount) * base * base * g0 + 2 * base * base * g0;
      const up = [...c.generatorFilters, c.channels];
      for (let i = 1; i < up.length; i++) {
        n += convParams(k, up[i - 1] ?? 1, up[i] ?? 1) + (i < up.length - 1 ? 2 * (up[i] ?? 1) : 0);
      }
      const down = [c.channels + c.classCount, ...c.discriminatorFilters];
      for (let i = 1; i < down.length; i++) n += convParams(k, down[i - 1] ?? 1, down[i] ?? 1);
      const side = c.imageSize / 2 ** c.discriminatorFilters.length;
      return n + side * side * (down[down.length - 1] ?? 1) + 1;
    }
    case 'char-rnn': {
      const { cell, vocabSize: v, embeddingDim: e, hiddenUnits: h, layers } = spec.config;
      const g = (cell === 'lstm' ? 4 : 3) * h;
      let n = v * e + h * v + v;
      for (let l = 0; l < layers; l++) n += (l === 0 ? e : h) * g + g + h * g + g;
      return n;
    }
    case 'char-gpt': {
      const { vocabSize: v, contextLength: t, layers, width: c, mlpRatio: r } = spec.config;
      const block =
        2 * c + (c * 3 * c + 3 * c) + (c * c + c) + 2 * c + (c * r * c + r * c) + (r * c * c + c);
      return v * c + t * c + layers * block + 2 * c + c * v;
    }
  }
}
