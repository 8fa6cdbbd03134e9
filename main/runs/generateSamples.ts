import path from 'node:path';
import type { GenerateSamplesArgs, RunSummary, SampleView } from '../../preload/contract';
import type { StudioEventBus } from '../common/events';
import { StudioFailure } from '../common/failure';
import type { MlHost } from '../ml/host';
import type { RunRepository } from './runRepository';
import { generatedBatch } from './sampleProvenance';
import { writeImageSamples, writeTextSamples } from './sampleWriter';

export interface GenerateDeps {
  dataDir: string;
  runs: RunRepository;
  ml: MlHost;
  events: StudioEventBus;
}

/**
 * New samples from a run's newest checkpoint, stored beside the ones drawn during training (with
 * indices after them, so nothing is overwritten), each with what was asked for.
 */
export async function generateFromCheckpoint(
  deps: GenerateDeps,
  summary: RunSummary,
  classNames: (string | null)[],
  args: GenerateSamplesArgs,
): Promise<SampleView[]> {
  const checkpoint = deps.runs.checkpointDir(args.runId);
  if (!checkpoint || summary.checkpointStep === null) {
    throw new StudioFailure(
      'invalid-input',
      `Run ${args.runId} has no checkpoint to sample from yet.`,
    );
  }
  const { runId, mode, count, seed, ...text } = args;
  const jobId = `sample-${runId}-${Date.now()}`;
  const dir = path.join(deps.dataDir, checkpoint);
  const isText = summary.family === 'char-rnn' || summary.family === 'char-gpt';
  const result = await deps.ml.sample(
    isText
      ? { jobId, checkpoint: dir, seed, kind: 'text', count: count ?? 4, ...text }
      : {
          jobId,
          checkpoint: dir,
          seed,
          kind: 'images',
          mode: mode ?? 'grid',
          count: count ?? 16,
        },
  );
  const first = deps.runs.nextSampleIndex(runId, result.step);
  const labels = result.kind === 'images' ? result.labels : undefined;
  const batch = generatedBatch(args, isText ? 'text' : 'image', labels, classNames);
  const rows =
    result.kind === 'text'
      ? await writeTextSamples(deps.dataDir, runId, result.step, result.texts, first, batch)
      : await writeImageSamples(deps.dataDir, runId, result.step, result.images, first, batch);
  const sampleIds = deps.runs.addSamples(runId, rows);
  deps.events.emit('samples:added', { runId, step: result.step, sampleIds });
  return deps.runs.samples(runId).filter((s) => sampleIds.includes(s.id));
}
