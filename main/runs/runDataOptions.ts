import type { ModelPreset, RunSyntheticData } from '../../preload/contract';
import type { PrepareService } from '../datasets/prepare/prepareService';
import type {
  TrainingAmount,
  TrainingDataOptions,
  TrainingShape,
} from '../datasets/prepare/trainingData';
import { runConfigFromPreset, type RunConfig } from '../ml/config/presets';
import { canCondition, dataShapeOf } from './trainingJob';

/** Image sizes the convolutional families train at (a stride-2 stack halves the size twice). */
const CONV_SIZES = { min: 28, max: 64, multipleOf: 4 };

export function fitsConvModel(size: number): boolean {
  return size >= CONV_SIZES.min && size <= CONV_SIZES.max && size % CONV_SIZES.multipleOf === 0;
}

/**
 * Which data a run trains on beyond its model: the synthetic items of its version or not. Stored
 * beside the model config (`data`), so resume and the run view read what the run was given.
 */
export interface RunDataChoice {
  includeSynthetic: boolean;
}

/** A stored run config's data choice; runs from before synthetic items trained on everything. */
export function storedDataChoice(stored: unknown): RunDataChoice {
  const data = (stored as { data?: { includeSynthetic?: unknown } } | null)?.data;
  return { includeSynthetic: data?.includeSynthetic !== false };
}

/** What the run view says of a version's synthetic items and whether the run trains on them. */
export function syntheticData(
  storedConfig: unknown,
  perClass: { label: string | null; count: number }[],
): RunSyntheticData {
  return {
    included: storedDataChoice(storedConfig).includeSynthetic,
    count: perClass.reduce((sum, c) => sum + c.count, 0),
    perClass,
  };
}

/** The size and channels a stored run was configured with, to load its data the same way. */
export function imageOptions(run: RunConfig, choice?: RunDataChoice): TrainingDataOptions {
  const data = choice && !choice.includeSynthetic ? { includeSynthetic: false } : {};
  if (run.family === 'char-rnn' || run.family === 'char-gpt') return data;
  return { imageSize: run.config.imageSize, channels: run.config.channels === 1 ? 1 : 3, ...data };
}

/**
 * A preset resolved against a version, once, from the version's rows and settings (no image is
 * decoded): the run's full config, how to load its data, and how much data there is.
 */
export async function resolveRunConfig(
  prepare: Pick<PrepareService, 'trainingShape'>,
  preset: ModelPreset,
  versionId: number,
  steps?: number,
  choice: RunDataChoice = { includeSynthetic: true },
  seed?: number,
): Promise<{
  run: RunConfig;
  loadOptions: TrainingDataOptions;
  shape: TrainingShape & TrainingAmount;
}> {
  const shapeOf = (options: TrainingDataOptions) => prepare.trainingShape(versionId, options);
  const data: TrainingDataOptions = choice.includeSynthetic ? {} : { includeSynthetic: false };
  let loadOptions: TrainingDataOptions = { ...data };
  if (preset.family === 'dense-vae') loadOptions = { imageSize: preset.imageSize, ...data };
  let shape = await shapeOf(loadOptions);
  const tooBigOrSmall = shape.kind === 'image' && !fitsConvModel(shape.settings.size);
  if (preset.family !== 'dense-vae' && tooBigOrSmall) {
    loadOptions = { imageSize: preset.imageSize, ...data };
    shape = await shapeOf(loadOptions);
  }
  const conditional = preset.family === 'dcgan' && canCondition(shape);
  const run = runConfigFromPreset(preset.id, dataShapeOf(shape, conditional), {
    ...(steps === undefined ? {} : { steps }),
    ...(seed === undefined ? {} : { seed }),
  });
  return { run, loadOptions, shape };
}
