// The training loop's own config (as opposed to a network's): how long, which seed, the learning-
// rate schedule, and how often to validate, checkpoint and sample. tfjs-free like models/configs.

import { resolveConfig, type ConfigSchema } from './configSchema';

export interface TrainingConfig {
  steps: number;
  /** Seeds the weights, the batch order, the validation split, the sample noise and every step. */
  seed: number;
  /** Linear warm-up from ~0 to the full learning rate over this many steps. */
  warmupSteps: number;
  /** After warm-up: keep the rate, or decay it along a half cosine to minLearningRateRatio. */
  schedule: 'constant' | 'cosine';
  minLearningRateRatio: number;
  /** Validate every N steps (and at the end); 0 turns validation off. */
  validateEvery: number;
  /** Fixed validation batches averaged at each validation. */
  validationBatches: number;
  /** Checkpoint every N steps; with a checkpoint folder the run also checkpoints at its end or stop. */
  checkpointEvery: number;
  /**
   * Also checkpoint once this many seconds of training passed since the last one, so that a killed
   * run of any preset loses at most that much; 0 turns the timer off.
   */
  checkpointEverySeconds: number;
  /** Emit samples every N steps (and at the end). */
  sampleEvery: number;
  /** Images per sample grid, or texts per text sample; 0 turns sampling off. */
  sampleCount: number;
}

export const MAX_STEPS = 1_000_000;
export const MAX_SAMPLE_COUNT = 256;

export const TRAINING_SCHEMA: ConfigSchema<TrainingConfig> = {
  steps: { type: 'integer', min: 1, max: MAX_STEPS, default: 1000 },
  seed: { type: 'integer', min: 0, max: 2 ** 31 - 1, default: 1 },
  warmupSteps: { type: 'integer', min: 0, max: MAX_STEPS, default: 0 },
  schedule: { type: 'string', oneOf: ['constant', 'cosine'], default: 'constant' },
  minLearningRateRatio: { type: 'number', min: 0, max: 1, default: 0.1 },
  validateEvery: { type: 'integer', min: 0, max: MAX_STEPS, default: 0 },
  validationBatches: { type: 'integer', min: 1, max: 1000, default: 4 },
  checkpointEvery: { type: 'integer', min: 0, max: MAX_STEPS, default: 0 },
  checkpointEverySeconds: { type: 'number', min: 0, max: 86_400, default: 60 },
  sampleEvery: { type: 'integer', min: 1, max: MAX_STEPS, default: 100 },
  sampleCount: { type: 'integer', min: 0, max: MAX_SAMPLE_COUNT, default: 16 },
};

export function resolveTrainingConfig(input: unknown = {}): TrainingConfig {
  return resolveConfig('TrainingConfig', TRAINING_SCHEMA, input);
}

/**
 * The factor on the base learning rate for step `step` (0-based, the step about to be taken):
 * linear warm-up, then constant or a half-cosine down to minLearningRateRatio at the last step.
 */
export function learningRateScale(config: TrainingConfig, step: number): number {
  if (step < config.warmupSteps) return (step + 1) / config.warmupSteps;
  if (config.schedule === 'constant') return 1;
  const decaySteps = Math.max(1, config.steps - config.warmupSteps);
  const progress = Math.min(1, (step - config.warmupSteps) / decaySteps);
  const min = config.minLearningRateRatio;
  return min + (1 - min) * 0.5 * (1 + Math.cos(Math.PI * progress));
}
