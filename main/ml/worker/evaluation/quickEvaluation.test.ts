import { beforeAll, describe, expect, it } from 'vitest';
import { resolveCharGptConfig, resolveDcganConfig } from '../../config/configs';
import { resolveTrainingConfig } from '../../config/trainingConfig';
import type { FeatureNetworkWeights } from '../../../evaluation/featureNetworkStore';
import type { JobEvent, QuickEvaluationSpec, TrainJob } from '../../protocol';
import { useTestBackend } from '../testing/backend';
import { classBlobImages, imageParts } from '../testing/syntheticImages';
import { repeatedPhrase, textParts } from '../testing/syntheticText';
import { runTrainJob } from '../training/jobs';
import { quickNames } from './quickEvaluation';

// Tiny real runs through the worker's job entry point: the quick evaluation must appear at every
// validation point for images, every sample point for text (and the last step), with the end evaluation's figures under eval_quick_*
// names, and the same seed must give the same figures.

type QuickEvent = Extract<JobEvent, { type: 'quick-evaluation' }>;

async function run(job: TrainJob): Promise<{ quick: QuickEvent[]; events: JobEvent[] }> {
  const events: JobEvent[] = [];
  const outcome = await runTrainJob(job, {
    onEvent: (event) => events.push(event),
    shouldStop: () => false,
  });
  expect(outcome.status).toBe('completed');
  const quick = events.filter((e): e is QuickEvent => e.type === 'quick-evaluation');
  return { quick, events };
}

const blobs = classBlobImages(60, 8, 3, 1);
const imageSpec: QuickEvaluationSpec = {
  kind: 'images',
  sampleCount: 16,
  seed: 7,
  classCount: 3,
  trainLabels: blobs.labels.slice(0, 48),
  featureNetworkOptions: { steps: 20, embeddingDim: 8, filters: [4, 8], seed: 1 },
};
const ganJob = (quickEvaluation: QuickEvaluationSpec, seed = 2): TrainJob => ({
  jobId: 'gan',
  family: 'dcgan',
  config: resolveDcganConfig({
    imageSize: 8,
    channels: 1,
    latentDim: 4,
    generatorFilters: [4, 2],
    discriminatorFilters: [2, 4],
    batchSize: 8,
  }),
  training: resolveTrainingConfig({ steps: 9, seed, sampleCount: 0, validateEvery: 4 }),
  data: imageParts(blobs.images, 12),
  quickEvaluation,
});

describe('the quick in-run evaluation', () => {
  beforeAll(async () => {
    await useTestBackend('conv');
  });

  it('judges a tiny GAN at every validation point and at the end, the same for the same seed', async () => {
    const first = await run(ganJob(imageSpec));
    expect(first.quick.map((e) => e.step)).toEqual([4, 8, 9]);
    // No network was given: the worker trained one before training and handed it back once.
    const trained = first.events.filter((e) => e.type === 'feature-network');
    expect(trained).toHaveLength(1);
    expect(first.events.indexOf(trained[0] as JobEvent)).toBe(0);
    for (const event of first.quick) {
      for (const name of [
        'eval_quick_frechet_distance',
        'eval_quick_kid',
        'eval_quick_coverage',
        'eval_quick_recall',
        'eval_quick_near_copy_share',
        'eval_quick_data_copying_z',
        'eval_quick_class_total_variation',
      ]) {
        expect(Number.isFinite(event.metrics[name]), `${name} at ${event.step}`).toBe(true);
      }
      expect(Object.keys(event.metrics).every((n) => n.startsWith('eval_quick_'))).toBe(true);
    }
    // The samples change as the generator trains, so the figures do too.
    expect(first.quick[0]?.metrics.eval_quick_frechet_distance).not.toBe(
      first.quick[2]?.metrics.eval_quick_frechet_distance,
    );

    // Given the network it trained, the same seed gives the same figures, and none is trained.
    const weights = (trained[0] as { weights: FeatureNetworkWeights }).weights;
    const again = await run(ganJob({ ...imageSpec, featureNetwork: weights }));
    expect(again.events.some((e) => e.type === 'feature-network')).toBe(false);
    expect(again.quick.map((e) => e.metrics)).toEqual(first.quick.map((e) => e.metrics));
    const otherSeed = await run(ganJob({ ...imageSpec, featureNetwork: weights }, 3));
    expect(otherSeed.quick[2]?.metrics).not.toEqual(first.quick[2]?.metrics);
  }, 120_000);

  it('is left out where the version holds too few validation items to judge against', async () => {
    const job = ganJob(imageSpec);
    const { quick, events } = await run({ ...job, data: imageParts(blobs.images, 3) } as TrainJob);
    expect(quick).toHaveLength(0);
    expect(events.some((e) => e.type === 'feature-network')).toBe(false);
  }, 60_000);

  it('judges a tiny char GPT at every sample point (not every validation point) by copies and diversity, deterministically', async () => {
    const corpus = repeatedPhrase(30);
    const job: TrainJob = {
      jobId: 'gpt',
      family: 'char-gpt',
      config: resolveCharGptConfig({
        vocabSize: corpus.vocabulary.length,
        contextLength: 12,
        layers: 1,
        heads: 2,
        width: 16,
        batchSize: 4,
      }),
      training: resolveTrainingConfig({
        steps: 12,
        seed: 3,
        sampleCount: 3,
        sampleEvery: 6,
        // Validates twice as often as it samples: the texts are judged where the preview drew them.
        validateEvery: 3,
      }),
      data: {
        ...textParts(corpus.tokens, 0.1),
        vocabulary: corpus.vocabulary,
        decoding: { maxLength: 40 },
      },
      quickEvaluation: { kind: 'text' },
    };
    const first = await run(job);
    const validations = first.events.filter((e) => e.type === 'validation');
    expect(validations.map((e) => e.step)).toEqual([3, 6, 9, 12]);
    expect(first.quick.map((e) => e.step)).toEqual([6, 12]);
    for (const event of first.quick) {
      for (const name of [
        'eval_quick_char8_overlap',
        'eval_quick_line_copy_share',
        'eval_quick_longest_copy',
        'eval_quick_distinct_chars_4',
      ]) {
        expect(Number.isFinite(event.metrics[name]), `${name} at ${event.step}`).toBe(true);
      }
      expect(event.metrics.eval_quick_longest_copy).toBeLessThanOrEqual(40);
    }
    // It judged the preview's texts of the same step: no second draw.
    const previews = first.events.filter((e) => e.type === 'text-samples');
    expect(previews.map((e) => e.step)).toEqual([6, 12]);
    const again = await run(job);
    expect(again.quick.map((e) => e.metrics)).toEqual(first.quick.map((e) => e.metrics));
  }, 120_000);
});

describe('quickNames', () => {
  it('renames the end evaluation’s figures and nothing else', () => {
    expect(quickNames({ eval_kid: 1, eval_frechet_distance: 2, loss: 3 })).toEqual({
      eval_quick_kid: 1,
      eval_quick_frechet_distance: 2,
      loss: 3,
    });
  });
});
