// The model presets a person picks from, and how a preset plus a dataset becomes the resolved
// DenseVaeConfig a run stores and trains with.

import type { ModelPreset } from '../../preload/contract';
import { StudioFailure } from '../core/failure';
import type { DenseVaeConfig } from './protocol';

/** A preset with the architecture and optimiser choices the contract does not show. */
interface DenseVaePreset extends ModelPreset {
  family: 'dense-vae';
  latentDim: number;
  hiddenUnits: number;
  learningRate: number;
  beta: number;
}

export const DEFAULT_PRESET_ID = 'vae-small';

/** The seed a run trains with unless it chooses one; fixed so that runs are repeatable. */
export const DEFAULT_SEED = 1;

/** Longer runs belong to a model that checkpoints and resumes, which the dense VAE does not. */
export const MAX_STEPS = 100_000;

const DENSE_VAE_PRESETS: readonly DenseVaePreset[] = [
  {
    id: 'vae-tiny',
    family: 'dense-vae',
    label: 'VAE · tiny',
    description: 'A few seconds on any machine; for trying the studio out and for tests.',
    steps: 60,
    batchSize: 32,
    imageSize: 28,
    sampleEvery: 20,
    latentDim: 8,
    hiddenUnits: 64,
    learningRate: 2e-3,
    beta: 1,
  },
  {
    id: 'vae-small',
    family: 'dense-vae',
    label: 'VAE · small',
    description: 'A dense VAE for 28×28 images; well under a minute on a laptop CPU.',
    steps: 600,
    batchSize: 64,
    imageSize: 28,
    sampleEvery: 100,
    latentDim: 16,
    hiddenUnits: 256,
    learningRate: 1e-3,
    beta: 1,
  },
];

/** The presets as the contract shows them (`models:presets`): without the internal fields. */
export const MODEL_PRESETS: ModelPreset[] = DENSE_VAE_PRESETS.map(
  ({ id, family, label, description, steps, batchSize, imageSize, sampleEvery }) => ({
    id,
    family,
    label,
    description,
    steps,
    batchSize,
    imageSize,
    sampleEvery,
  }),
);

export function findModelPreset(presetId: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((preset) => preset.id === presetId);
}

/**
 * The resolved config for a preset and a dataset's channels (1 grey, 3 RGB, 4 RGBA), with an
 * optional step count and seed. Throws a StudioFailure ('not-found' or 'invalid-input') that a
 * person can act on.
 */
export function configFromPreset(
  preset: ModelPreset,
  channels: number,
  steps: number = preset.steps,
  seed: number = DEFAULT_SEED,
): DenseVaeConfig {
  const full = DENSE_VAE_PRESETS.find((p) => p.id === preset.id && p.family === preset.family);
  if (full === undefined) {
    throw new StudioFailure('not-found', `There is no model preset "${preset.id}".`, {
      known: DENSE_VAE_PRESETS.map((p) => p.id),
    });
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
    throw new StudioFailure('invalid-input', `Images must have 1 to 4 channels, not ${channels}.`);
  }
  if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
    throw new StudioFailure(
      'invalid-input',
      `Steps must be a whole number from 1 to ${MAX_STEPS}, not ${steps}.`,
    );
  }
  if (!Number.isInteger(seed)) {
    throw new StudioFailure('invalid-input', `The seed must be a whole number, not ${seed}.`);
  }
  return {
    imageSize: full.imageSize,
    channels,
    latentDim: full.latentDim,
    hiddenUnits: full.hiddenUnits,
    batchSize: full.batchSize,
    steps,
    learningRate: full.learningRate,
    beta: full.beta,
    seed,
  };
}
