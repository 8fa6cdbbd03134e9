// The model presets a person picks from, and how a preset plus a dataset becomes the resolved
// configs a run stores and trains with. tfjs-free: this runs in the main process.

import type { ModelFamily, ModelPreset } from '../../../preload/contract';
import { StudioFailure } from '../../common/failure';
import {
  isModelFamily,
  kindOf,
  parameterCount,
  resolveFamilyConfig,
  type FamilyConfig,
} from './configs';
import { PRESETS, type PresetDefinition } from './presetCatalog';
import {
  MAX_STEPS as MAX_TRAINING_STEPS,
  resolveTrainingConfig,
  type TrainingConfig,
} from './trainingConfig';

export const DEFAULT_PRESET_ID = 'vae-small';

/** The seed a run trains with unless it chooses one; fixed so that runs are repeatable. */
export const DEFAULT_SEED = 1;

/** Longer dense-VAE runs belong to the families that checkpoint and resume. */
export const MAX_STEPS = 100_000;

/** What a run's data says about the model: image channels (and size, classes) or the vocabulary size. */
export type RunDataShape =
  | { kind: 'image'; channels: number; imageSize?: number; classCount?: number }
  | { kind: 'text'; vocabSize: number };

/** A run's resolved configs: the family's, and the loop's. */
export type RunConfig = FamilyConfig & { training: TrainingConfig };

function invalid(message: string, details?: Record<string, unknown>): StudioFailure {
  return new StudioFailure('invalid-input', message, details);
}

function definition(presetId: string): PresetDefinition {
  const found = PRESETS.find((p) => p.id === presetId);
  if (found === undefined) {
    throw new StudioFailure('not-found', `There is no model preset "${presetId}".`, {
      known: PRESETS.map((p) => p.id),
    });
  }
  return found;
}

/**
 * The resolved configs for a preset and a dataset, with an optional step count and seed. Throws a
 * StudioFailure ('not-found' or 'invalid-input') that a person can act on.
 */
export function runConfigFromPreset(
  presetId: string,
  data: RunDataShape,
  options: { steps?: number; seed?: number } = {},
): RunConfig {
  const preset = definition(presetId);
  const kind = kindOf(preset.family);
  if (data.kind !== kind) {
    throw invalid(
      `The preset "${preset.label}" trains on ${kind} data, and this dataset holds ${data.kind}.`,
    );
  }
  const steps = options.steps ?? preset.steps;
  const seed = options.seed ?? DEFAULT_SEED;
  const maxSteps = preset.family === 'dense-vae' ? MAX_STEPS : MAX_TRAINING_STEPS;
  if (!Number.isInteger(steps) || steps < 1 || steps > maxSteps) {
    throw invalid(`Steps must be a whole number from 1 to ${maxSteps}, not ${steps}.`);
  }
  if (!Number.isInteger(seed) || seed < 0) {
    throw invalid(`The seed must be a whole number, not ${seed}.`);
  }
  let config: Record<string, unknown> = { ...preset.config };
  if (data.kind === 'image') {
    if (!Number.isInteger(data.channels) || data.channels < 1 || data.channels > 4) {
      throw invalid(`Images must have 1 to 4 channels, not ${data.channels}.`);
    }
    config.channels = data.channels;
    if (data.imageSize !== undefined) config.imageSize = data.imageSize;
    if (preset.family === 'dcgan') config.classCount = data.classCount ?? 0;
    if (preset.family === 'dense-vae') config = { ...config, steps, seed };
  } else {
    config.vocabSize = data.vocabSize;
  }
  let resolved: FamilyConfig;
  try {
    resolved = resolveFamilyConfig(preset.family, config);
  } catch (error) {
    throw invalid(
      `The preset "${preset.label}" does not fit this dataset: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }
  const training = resolveTrainingConfig({
    ...preset.training,
    steps,
    seed,
    sampleEvery: preset.sampleEvery,
  });
  return { ...resolved, training };
}

/**
 * A run's configs as they were stored with it, checked again (a stored row is data from disk):
 * what a resumed run trains with, never the preset as it reads today.
 */
export function storedRunConfig(stored: unknown): RunConfig {
  const { family, config, training } = (stored ?? {}) as Record<string, unknown>;
  if (!isModelFamily(family)) {
    throw invalid(`The stored run config names no model family (${String(family)}).`);
  }
  try {
    return { ...resolveFamilyConfig(family, config), training: resolveTrainingConfig(training) };
  } catch (error) {
    throw invalid(
      `The stored run config is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function publicPreset(preset: PresetDefinition): ModelPreset {
  const kind = kindOf(preset.family);
  const shape: RunDataShape = kind === 'image' ? { kind, channels: 1 } : { kind, vocabSize: 96 };
  const resolved = runConfigFromPreset(preset.id, shape);
  const config = resolved.config as {
    batchSize: number;
    imageSize?: number;
    contextLength?: number;
    sequenceLength?: number;
  };
  return {
    id: preset.id,
    family: preset.family,
    kind,
    label: preset.label,
    description: preset.description,
    steps: preset.steps,
    batchSize: config.batchSize,
    imageSize: config.imageSize ?? 0,
    sampleEvery: preset.sampleEvery,
    params: parameterCount(resolved),
    contextLength: config.contextLength ?? config.sequenceLength ?? 0,
  };
}

/** The presets as the contract shows them (`models:presets`): without the internal fields. */
export const MODEL_PRESETS: ModelPreset[] = PRESETS.map(publicPreset);

export function findModelPreset(presetId: string): ModelPreset | undefined {
  return MODEL_PRESETS.find((preset) => preset.id === presetId);
}

export function presetFamily(presetId: string): ModelFamily {
  return definition(presetId).family;
}
