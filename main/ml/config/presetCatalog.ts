// The presets a person picks from: per family tiny (seconds on a CPU, for tests), small (a CPU
// run of minutes; the reference shapes) and large (for a GPU). Data only; presets.ts resolves them.

import type { TrainingConfig } from './trainingConfig';
import type {
  CharGptConfig,
  CharRnnConfig,
  ConvVaeConfig,
  DcganConfig,
  DenseVaeConfig,
} from './configs';

type PresetConfig =
  | { family: 'dense-vae'; config: Omit<DenseVaeConfig, 'channels' | 'steps' | 'seed'> }
  | { family: 'conv-vae'; config: Partial<ConvVaeConfig> }
  | { family: 'dcgan'; config: Partial<DcganConfig> }
  | { family: 'char-rnn'; config: Partial<CharRnnConfig> }
  | { family: 'char-gpt'; config: Partial<CharGptConfig> };

/** A preset with the architecture, optimiser and loop choices the contract does not show. */
export type PresetDefinition = PresetConfig & {
  id: string;
  label: string;
  description: string;
  steps: number;
  sampleEvery: number;
  training: Partial<TrainingConfig>;
};

const TINY = 'Seconds on any CPU; for trying the studio out and for tests.';
const TEXT_LOOP: Partial<TrainingConfig> = { validateEvery: 100, checkpointEvery: 500 };

// Dense VAE first: the UI defaults to the first preset that is not tiny, which stays vae-small.
export const PRESETS: readonly PresetDefinition[] = [
  {
    id: 'vae-tiny',
    family: 'dense-vae',
    label: 'VAE · tiny',
    description: 'A few seconds on any machine; for trying the studio out and for tests.',
    steps: 60,
    sampleEvery: 20,
    training: {},
    config: {
      imageSize: 28,
      batchSize: 32,
      latentDim: 8,
      hiddenUnits: 64,
      learningRate: 2e-3,
      beta: 1,
    },
  },
  {
    id: 'vae-small',
    family: 'dense-vae',
    label: 'VAE · small',
    description: 'A dense VAE for 28×28 images; well under a minute on a laptop CPU.',
    steps: 600,
    sampleEvery: 100,
    training: {},
    config: {
      imageSize: 28,
      batchSize: 64,
      latentDim: 16,
      hiddenUnits: 256,
      learningRate: 1e-3,
      beta: 1,
    },
  },
  {
    id: 'conv-vae-tiny',
    family: 'conv-vae',
    label: 'Conv VAE · tiny',
    description: TINY,
    steps: 60,
    sampleEvery: 20,
    training: { validateEvery: 20 },
    config: { imageSize: 28, filters: [8, 16], latentDim: 8, batchSize: 16, learningRate: 2e-3 },
  },
  {
    id: 'conv-vae-small',
    family: 'conv-vae',
    label: 'Conv VAE · small',
    description: 'Two conv layers each way, 28–64 px; the reference VAE. Minutes on a CPU.',
    steps: 2000,
    sampleEvery: 200,
    training: { validateEvery: 200, checkpointEvery: 500 },
    config: { imageSize: 28, filters: [32, 64], latentDim: 16, batchSize: 64, learningRate: 1e-3 },
  },
  {
    id: 'conv-vae-large',
    family: 'conv-vae',
    label: 'Conv VAE · large',
    description: 'Three conv layers each way at 64 px, latent 64; for a GPU.',
    steps: 10_000,
    sampleEvery: 500,
    training: { validateEvery: 500, checkpointEvery: 1000, warmupSteps: 200, schedule: 'cosine' },
    config: {
      imageSize: 64,
      filters: [32, 64, 128],
      latentDim: 64,
      batchSize: 64,
      learningRate: 1e-3,
    },
  },
  {
    id: 'dcgan-tiny',
    family: 'dcgan',
    label: 'DCGAN · tiny',
    description: TINY,
    steps: 60,
    sampleEvery: 20,
    // Validation points are where the quick evaluation judges the samples (issue 11): a GAN's
    // losses say little, its Fréchet distance and coverage rank its checkpoints.
    training: { validateEvery: 20 },
    config: {
      imageSize: 28,
      latentDim: 16,
      generatorFilters: [16, 8],
      discriminatorFilters: [8, 16],
      batchSize: 16,
    },
  },
  {
    id: 'dcgan-small',
    family: 'dcgan',
    label: 'DCGAN · small',
    description: 'The reference DCGAN (28–64 px), optionally class-conditional; for a fast CPU.',
    steps: 3000,
    sampleEvery: 200,
    training: { validateEvery: 200, checkpointEvery: 500 },
    config: {
      imageSize: 28,
      latentDim: 64,
      generatorFilters: [64, 32],
      discriminatorFilters: [32, 64],
      batchSize: 64,
    },
  },
  {
    id: 'dcgan-large',
    family: 'dcgan',
    label: 'DCGAN · large',
    description: 'The DCGAN paper’s widths at 64 px, latent 100; for a GPU.',
    steps: 20_000,
    sampleEvery: 500,
    training: { validateEvery: 500, checkpointEvery: 1000 },
    config: {
      imageSize: 64,
      latentDim: 100,
      generatorFilters: [512, 256, 128, 64],
      discriminatorFilters: [64, 128, 256, 512],
      batchSize: 64,
    },
  },
  ...(['lstm', 'gru'] as const).flatMap((cell): PresetDefinition[] => {
    const name = cell.toUpperCase();
    return [
      {
        id: `char-${cell}-tiny`,
        family: 'char-rnn',
        label: `Char ${name} · tiny`,
        description: TINY,
        steps: 100,
        sampleEvery: 50,
        training: { validateEvery: 50 },
        config: {
          cell,
          sequenceLength: 32,
          embeddingDim: 16,
          hiddenUnits: 64,
          layers: 1,
          batchSize: 16,
          learningRate: 1e-2,
          gradClip: 5,
        },
      },
      {
        id: `char-${cell}-small`,
        family: 'char-rnn',
        label: `Char ${name} · small`,
        description: `One ${name} layer of 256 over 128 characters (the reference shape); a CPU run of minutes.`,
        steps: 2000,
        sampleEvery: 200,
        training: TEXT_LOOP,
        config: {
          cell,
          sequenceLength: 128,
          embeddingDim: 64,
          hiddenUnits: 256,
          layers: 1,
          batchSize: 32,
          learningRate: 2e-3,
          gradClip: 5,
        },
      },
      {
        id: `char-${cell}-large`,
        family: 'char-rnn',
        label: `Char ${name} · large`,
        description: `Three ${name} layers of 512; for a GPU.`,
        steps: 10_000,
        sampleEvery: 500,
        training: { ...TEXT_LOOP, warmupSteps: 200, schedule: 'cosine' },
        config: {
          cell,
          sequenceLength: 128,
          embeddingDim: 128,
          hiddenUnits: 512,
          layers: 3,
          batchSize: 64,
          learningRate: 2e-3,
          gradClip: 5,
        },
      },
    ];
  }),
  {
    id: 'char-gpt-tiny',
    family: 'char-gpt',
    label: 'Char GPT · tiny',
    description: TINY,
    steps: 100,
    sampleEvery: 50,
    training: { validateEvery: 50 },
    config: {
      contextLength: 32,
      layers: 2,
      heads: 2,
      width: 32,
      batchSize: 16,
      learningRate: 3e-3,
      weightDecay: 0,
    },
  },
  {
    id: 'char-gpt-small',
    family: 'char-gpt',
    label: 'Char GPT · small',
    description: '4 layers, 4 heads, width 128, 128 characters of context (the reference shape).',
    steps: 3000,
    sampleEvery: 250,
    training: { ...TEXT_LOOP, warmupSteps: 100, schedule: 'cosine' },
    config: {
      contextLength: 128,
      layers: 4,
      heads: 4,
      width: 128,
      batchSize: 32,
      learningRate: 1e-3,
    },
  },
  {
    id: 'char-gpt-large',
    family: 'char-gpt',
    label: 'Char GPT · large',
    description:
      'nanoGPT’s Shakespeare model: 6 layers, 6 heads, width 384, context 256; for a GPU.',
    steps: 5000,
    sampleEvery: 500,
    training: { ...TEXT_LOOP, warmupSteps: 100, schedule: 'cosine' },
    config: {
      contextLength: 256,
      layers: 6,
      heads: 6,
      width: 384,
      batchSize: 64,
      learningRate: 1e-3,
    },
  },
];
