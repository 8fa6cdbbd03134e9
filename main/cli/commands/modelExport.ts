import type { StudioCore } from '../../core/studioCore';
import type { ModelExportResult } from '../../../preload/contract';
import { call } from '../context';

// `studio export --run <id> --model [--step N] [--out DIR]`: the run's checkpoint as a
// TensorFlow.js model folder (and ZIP). Part of `studio export` (samples.ts), which prints it.

export interface ModelExportOptions {
  run: number;
  step?: number | undefined;
  out?: string | undefined;
}

export function exportModel(
  core: StudioCore,
  opts: ModelExportOptions,
): Promise<ModelExportResult> {
  return call(core, 'runs:exportModel', {
    runId: opts.run,
    ...(opts.step === undefined ? {} : { step: opts.step }),
    ...(opts.out ? { folder: opts.out } : {}),
  });
}

export function modelExportText(result: ModelExportResult): string {
  return (
    `Wrote the ${result.family} model at step ${result.step} (${result.files.length} files: ` +
    `model.json for tf.loadGraphModel, generate.mjs, example.mjs, model-card.md) to ` +
    `${result.folder}\nand ${result.zipPath}`
  );
}
