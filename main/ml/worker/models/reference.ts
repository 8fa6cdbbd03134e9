// The four fixed architectures of bench/REFERENCE_MODELS.md, expressed in the studio's own
// configs, so that a benchmark trains exactly those shapes through the same builders and step
// functions the studio trains with. Their parameter counts match the PyTorch twin's.

import {
  resolveCharGptConfig,
  resolveCharRnnConfig,
  resolveConvVaeConfig,
  resolveDcganConfig,
  type CharGptConfig,
  type CharRnnConfig,
  type ConvVaeConfig,
  type DcganConfig,
} from '../../config/configs';

export type ReferenceName = 'dcgan' | 'vae' | 'charlstm' | 'chargpt';

export type ReferenceModel =
  | { name: 'dcgan'; family: 'dcgan'; config: DcganConfig; parameters: 276_866 }
  | { name: 'vae'; family: 'conv-vae'; config: ConvVaeConfig; parameters: 220_385 }
  | { name: 'charlstm'; family: 'char-rnn'; config: CharRnnConfig; parameters: 360_544 }
  | { name: 'chargpt'; family: 'char-gpt'; config: CharGptConfig; parameters: 834_304 };

export const REFERENCE_NAMES: readonly ReferenceName[] = ['dcgan', 'vae', 'charlstm', 'chargpt'];

/** The family and resolved config of a reference model, with its parameter count for checking. */
export function referenceConfig(name: ReferenceName): ReferenceModel {
  switch (name) {
    case 'dcgan':
      return {
        name,
        family: 'dcgan',
        parameters: 276_866,
        config: resolveDcganConfig({
          imageSize: 28,
          channels: 1,
          latentDim: 64,
          generatorFilters: [64, 32],
          discriminatorFilters: [32, 64],
          kernelSize: 4,
          classCount: 0,
          leakySlope: 0.2,
          labelSmoothing: 0,
          batchSize: 64,
          // As the twin builds it: quality_ref.py leaves PyTorch's layer defaults.
          init: 'pytorch-default',
          learningRate: 2e-4,
          beta1: 0.5,
          beta2: 0.999,
          weightDecay: 0,
          gradClip: 0,
        }),
      };
    case 'vae':
      return {
        name,
        family: 'conv-vae',
        parameters: 220_385,
        config: resolveConvVaeConfig({
          imageSize: 28,
          channels: 1,
          latentDim: 16,
          filters: [32, 64],
          kernelSize: 4,
          beta: 1,
          batchSize: 64,
          // As the twin builds it: quality_ref.py leaves PyTorch's layer defaults.
          init: 'pytorch-default',
          learningRate: 1e-3,
          beta1: 0.9,
          beta2: 0.999,
          weightDecay: 0,
          gradClip: 0,
        }),
      };
    case 'charlstm':
      return {
        name,
        family: 'char-rnn',
        parameters: 360_544,
        config: resolveCharRnnConfig({
          cell: 'lstm',
          vocabSize: 96,
          sequenceLength: 128,
          embeddingDim: 64,
          hiddenUnits: 256,
          layers: 1,
          batchSize: 32,
          learningRate: 2e-3,
          beta1: 0.9,
          beta2: 0.999,
          weightDecay: 0,
          gradClip: 0,
        }),
      };
    case 'chargpt':
      return {
        name,
        family: 'char-gpt',
        parameters: 834_304,
        config: resolveCharGptConfig({
          vocabSize: 96,
          contextLength: 128,
          layers: 4,
          heads: 4,
          width: 128,
          mlpRatio: 4,
          batchSize: 32,
          // PyTorch's AdamW defaults beside the reference's 3e-4.
          learningRate: 3e-4,
          beta1: 0.9,
          beta2: 0.999,
          weightDecay: 0.01,
          gradClip: 0,
        }),
      };
  }
}
