import type { ModelPreset } from '../../preload/contract';
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

/** The size and channels a stored run was configured with, to load its data the same way. */
export function imageOptions(run: RunConfig): TrainingDataOptions {
  if (run.family === 'char-rnn' || run.family === 'char-gpt') return {};
  return { imageSize: run.config.imageSize, channels: run.config.channels === 1 ? 1 : 3 };
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
): Promise<{
  run: RunConfig;
  loadOptions: TrainingDataOptions;
  shape: TrainingShape & TrainingAmount;
}> {
  const shapeOf = (options: TrainingDataOptions) => prepare.trainingShape(versionId, options);
  let loadOptions: TrainingDataOptions = {};
  if (preset.family === 'dense-vae') loadOptions = { imageSize: preset.imageSize };
  let shape = await shapeOf(loadOptions);
  const tooBigOrSmall = shape.kind === 'image' && !fitsConvModel(shape.settings.size);
  if (preset.family !== 'dense-vae' && tooBigOrSmall) {
    loadOptions = { imageSize: preset.imageSize };
    shape = await shapeOf(loadOptions);
  }
  const conditional = preset.family === 'dcgan' && canCondition(shape);
  const run = runConfigFromPreset(preset.id, dataShapeOf(shape, conditional), { steps });
  return { run, loadOptions, shape };
}
