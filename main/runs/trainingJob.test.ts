import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTrainingData } from '../datasets/prepare/trainingData';
import { DEFAULT_PREPROCESSING } from '../datasets/versions/preprocessing';
import {
  addDataset,
  labeledImages,
  openTestStudio,
  type TestStudio,
} from '../datasets/testing/testStudio';
import { runConfigFromPreset } from '../ml/config/presets';
import type { ImageJobData, TextJobData } from '../ml/protocol';
import { buildTrainJob, dataShapeOf, validationNote } from './trainingJob';

let studio: TestStudio;
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

async function jobData(classBalanced: boolean): Promise<ImageJobData> {
  const { datasetId, versionId } = await addDataset(studio, 'image', [
    ...labeledImages(['big'], 12),
    ...labeledImages(['small'], 3),
  ]);
  const version = classBalanced
    ? studio.service.setPreprocessing(datasetId, versionId, {
        ...DEFAULT_PREPROCESSING,
        sampling: { classBalanced: true },
      }).id
    : versionId;
  const data = await loadTrainingData(
    { versions: studio.versions, blobs: studio.blobs, cacheDir: path.join(studio.dir, 'cache') },
    version,
  );
  const run = runConfigFromPreset('vae-tiny', dataShapeOf(data, false), { steps: 1 });
  return buildTrainJob('job', run, data, { checkpointDir: studio.dir }).data as ImageJobData;
}

describe('the training job of a version', () => {
  it('gives an unconditional model every image class when the version balances its batches', async () => {
    const balanced = await jobData(true);
    expect(balanced.train.labels).toBeUndefined();
    const classes = Array.from(balanced.batchBalance?.balanceByClass ?? []);
    // One class per training image: the version's validation images are never rebalanced.
    expect(classes).toHaveLength(balanced.train.count);
    expect(classes.filter((c) => c === 1).length).toBeGreaterThan(0);
  });

  it('draws plain epochs otherwise', async () => {
    expect((await jobData(false)).batchBalance).toBeUndefined();
  });

  it('holds nothing out of a text version that holds nothing out, and says so', async () => {
    const { datasetId, versionId } = await addDataset(
      studio,
      'text',
      Array.from({ length: 10 }, (_, i) => ({ label: null, content: `hello world ${i}\n` })),
    );
    const whole = studio.service.setPreprocessing(datasetId, versionId, {
      ...DEFAULT_PREPROCESSING,
      split: { validationFraction: 0, seed: 1 },
    });
    const data = await loadTrainingData(
      { versions: studio.versions, blobs: studio.blobs, cacheDir: path.join(studio.dir, 'cache') },
      whole.id,
    );
    const run = runConfigFromPreset('char-gpt-tiny', dataShapeOf(data, false), { steps: 1 });
    const job = buildTrainJob('job', run, data, { checkpointDir: studio.dir }).data as TextJobData;
    // Before: 10% of the corpus was held out anyway, and the run never said why.
    expect(job.validation).toHaveLength(0);
    expect(job.train).toHaveLength(data.kind === 'text' ? data.train.tokens.length : -1);
    expect(validationNote(data)).toMatch(/No validation/);
  });
});
