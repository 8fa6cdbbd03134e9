import type { TrainingDataOptions } from '../datasets/prepare/trainingData';
import type { RunConfig } from '../ml/config/presets';

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
