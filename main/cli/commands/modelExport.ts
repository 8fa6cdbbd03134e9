import type { StudioCore } from '../../core/studioCore';
import { call, print } from '../context';

// `studio export --run <id> --model [--step N] [--out DIR]`: the run's checkpoint as a
// TensorFlow.js model folder (and ZIP). Registered as part of `studio export` (samples.ts).

export interface ModelExportOptions {
  run: number;
  step?: number;
  out?: string;
  json?: boolean;
}

export async function exportModelCommand(
  core: StudioCore,
  opts: ModelExportOptions,
): Promise<void> {
  const result = await call(core, 'runs:exportModel', {
    runId: opts.run,
    ...(opts.step === undefined ? {} : { step: opts.step }),
    ...(opts.out ? { folder: opts.out } : {}),
  });
  print(
    Boolean(opts.json),
    result,
    () =>
      `Wrote the ${result.family} model at step ${result.step} (${result.files.length} files: ` +
      `model.json for tf.loadGraphModel, generate.mjs, example.mjs, model-card.md) to ` +
      `${result.folder}\nand ${result.zipPath}`,
  );
}
