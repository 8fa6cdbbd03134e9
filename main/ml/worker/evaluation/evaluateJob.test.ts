import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveCharGptConfig, resolveDcganConfig } from '../../config/configs';
import { resolveTrainingConfig } from '../../config/trainingConfig';
import { StudioFailure } from '../../../common/failure';
import type { TrainJob } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { classBlobImages, imageParts } from '../testing/syntheticImages';
import { repeatedPhrase, textParts } from '../testing/syntheticText';
import { runTrainJob } from '../training/jobs';
import { runEvaluateJob, type ImageEvaluateRequest } from './evaluateJob';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ml-evaluate-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

async function trainCheckpoint(job: TrainJob): Promise<string> {
  const dir = path.join(root, job.jobId);
  const outcome = await runTrainJob(
    { ...job, checkpointDir: dir },
    { onEvent: () => undefined, shouldStop: () => false },
  );
  expect(outcome.status).toBe('completed');
  return dir;
}

describe('the evaluate job', () => {
  const train = classBlobImages(48, 8, 3, 1);
  const validation = classBlobImages(24, 8, 3, 2);
  let checkpoint: string;
  beforeAll(async () => {
    await useTestBackend('conv');
    checkpoint = await trainCheckpoint({
      jobId: 'gan',
      family: 'dcgan',
      config: resolveDcganConfig({
        imageSize: 8,
        channels: 1,
        latentDim: 4,
        generatorFilters: [4, 2],
        discriminatorFilters: [2, 4],
        classCount: 3,
        batchSize: 8,
      }),
      training: resolveTrainingConfig({ steps: 6, seed: 2, sampleCount: 0 }),
      data: imageParts(train.images, 0, train.labels),
    });
  });

  it('judges a class-conditional GAN checkpoint: same figures for the same seed, no leaks', async () => {
    const request: ImageEvaluateRequest = {
      jobId: 'eval',
      kind: 'images',
      checkpoint,
      train: train.images,
      trainLabels: train.labels,
      validation: validation.images,
      classCount: 3,
      featureNetworkOptions: { steps: 30, batchSize: 16, embeddingDim: 16 },
      sampleCount: 30,
      kid: { subsets: 2, subsetSize: 20, seed: 1 },
    };
    const before = tf.memory().numTensors;
    const first = await runEvaluateJob(request);
    expect(tf.memory().numTensors).toBe(before);
    if (first.kind !== 'images') throw new Error('an image checkpoint gives an image evaluation');
    expect(first.step).toBe(6);
    expect(first.trainedFeatureNetwork?.kind).toBe('classifier');
    expect(first.evaluation.sampleCount).toBe(30);
    expect(first.evaluation.memorisation.samples).toHaveLength(30);
    expect(first.evaluation.memorisation.samples[0]?.pixelTrainIndex).toBeGreaterThanOrEqual(0);
    expect(first.evaluation.classes?.conditional?.perClass).toHaveLength(3);
    for (const name of [
      'eval_frechet_distance',
      'eval_kid',
      'eval_precision',
      'eval_recall',
      'eval_density',
      'eval_coverage',
      'eval_near_copy_share',
      'eval_data_copying_z',
      'eval_class_total_variation',
      'eval_missing_classes',
      'eval_conditional_accuracy',
    ]) {
      expect(Number.isFinite(first.metrics[name]), name).toBe(true);
    }
    // With the feature network main would have cached: the same figures, nothing trained.
    const cached = await runEvaluateJob({
      ...request,
      featureNetwork: structuredClone(first.trainedFeatureNetwork),
    });
    expect(cached.kind === 'images' ? cached.trainedFeatureNetwork : 'text').toBeUndefined();
    expect(cached.metrics).toEqual(first.metrics);
    const otherSeed = await runEvaluateJob({
      ...request,
      featureNetwork: first.trainedFeatureNetwork,
      seed: 9,
    });
    expect(otherSeed.metrics.eval_frechet_distance).not.toBe(first.metrics.eval_frechet_distance);
  });

  it('refuses items of another size than the model makes, and text for an image checkpoint', async () => {
    const big = classBlobImages(4, 12, 3, 1);
    await expect(
      runEvaluateJob({
        jobId: 'e',
        kind: 'images',
        checkpoint,
        train: big.images,
        validation: big.images,
        classCount: 3,
      }),
    ).rejects.toThrow(/8×8/);
    const few = classBlobImages(5, 8, 3, 3);
    await expect(
      runEvaluateJob({
        jobId: 'e',
        kind: 'images',
        checkpoint,
        train: train.images,
        validation: few.images,
        classCount: 3,
      }),
    ).rejects.toThrow(/at least 6 validation images/);
    await expect(
      runEvaluateJob({ jobId: 'e', kind: 'text', checkpoint, trainingText: 'abc' }),
    ).rejects.toBeInstanceOf(StudioFailure);
  });

  it('judges a character model: copies of its training text and bits per character', async () => {
    await useTestBackend('dense');
    const corpus = repeatedPhrase(30);
    const checkpoint = await trainCheckpoint({
      jobId: 'gpt',
      family: 'char-gpt',
      config: resolveCharGptConfig({
        vocabSize: corpus.vocabulary.length,
        contextLength: 12,
        layers: 1,
        heads: 2,
        width: 16,
        batchSize: 4,
        learningRate: 1e-2,
      }),
      training: resolveTrainingConfig({ steps: 40, seed: 3, sampleCount: 0 }),
      data: { ...textParts(corpus.tokens, 0.1), vocabulary: corpus.vocabulary },
    });
    const result = await runEvaluateJob({
      jobId: 'eval-text',
      kind: 'text',
      checkpoint,
      trainingText: corpus.text,
      validationText: corpus.text.slice(0, 120),
      sampleCount: 3,
      sampling: { maxLength: 24, temperature: 0 },
    });
    if (result.kind !== 'text') throw new Error('a text checkpoint gives a text evaluation');
    expect(result.samples).toHaveLength(3);
    // Greedy decoding of a model trained on one repeated phrase reproduces it.
    expect(result.evaluation.charNgramOverlap).toBeGreaterThan(0.5);
    expect(result.evaluation.longestCopyLength).toBeGreaterThanOrEqual(8);
    const uniform = Math.log2(corpus.vocabulary.length);
    expect(result.validationBitsPerCharacter).toBeGreaterThan(0);
    expect(result.validationBitsPerCharacter).toBeLessThan(uniform);
    expect(result.metrics.eval_val_bpc).toBe(result.validationBitsPerCharacter);
  });
});
