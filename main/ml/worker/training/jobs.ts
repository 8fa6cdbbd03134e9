// What the worker does with each kind of job, as plain functions over the protocol's data: train a
// family (fresh or from a checkpoint), sample from a checkpoint, estimate a config's cost.

import * as tf from '@tensorflow/tfjs';
import { StudioFailure } from '../../../common/failure';
import { resolveFamilyConfig, type FamilyConfig } from '../../config/configs';
import type { GenerativeModel, TextModel } from '../models/model';
import { buildModel } from '../models/registry';
import type {
  EstimateRequest,
  ImageJobData,
  JobEvent,
  ModelEstimate,
  SampleRequest,
  SampleResult,
  TextJobData,
  TrainJob,
  TrainOutcome,
} from '../../protocol';
import { derivedSeed } from '../../../common/random';
import { readCheckpointManifest, restoreCheckpoint, type CheckpointData } from './checkpoint';
import {
  imageBatchSource,
  SEED_PURPOSE,
  textBatchSource,
  textDataSpec,
  validateImageData,
  validateTextData,
} from './data';
import { estimateModel } from './estimate';
import {
  DEFAULT_TEXT_DECODING,
  generateImages,
  generateTexts,
  gridLabels,
  imagePreview,
  interpolationNoise,
  latentNoise,
} from './generation';
import { train, type Preview, type TrainHooks } from './train';
import { resolveTrainingConfig, type TrainingConfig } from '../../config/trainingConfig';
import { checkVocabulary } from './vocabulary';
import { FeatureNetworkStopped } from '../evaluation/featureNetwork';
import { imageQuickEvaluator, textQuickEvaluator } from '../evaluation/quickEvaluation';

/** Kernels a family's training step needs beyond the ones every backend has. */
const TRAINING_KERNELS: Partial<Record<FamilyConfig['family'], string[]>> = {
  'conv-vae': ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'],
  dcgan: ['Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'],
};

/**
 * Fails before any work when the active backend cannot train the family (stock wasm has no
 * Conv2DBackpropFilter), rather than at the first step with tfjs's own message.
 */
export function checkBackendCanTrain(
  family: FamilyConfig['family'],
  hasKernel: (kernel: string, backend: string) => boolean = (kernel, backend) =>
    tf.getKernel(kernel, backend) !== undefined,
): void {
  const backend = tf.getBackend();
  const missing = (TRAINING_KERNELS[family] ?? []).filter((k) => !hasKernel(k, backend));
  if (missing.length > 0) {
    throw new StudioFailure(
      'unsupported',
      `The ${backend} backend cannot train ${family} models yet: it has no ${missing.join(', ')} kernel. ` +
        'Native TensorFlow (@tensorflow/tfjs-node) can; so will this backend once the studio registers its own kernels.',
      { backend, missing },
    );
  }
}

/** An invalid config becomes an 'ml' failure that names the field (the person picked a preset). */
function resolveSpec(family: FamilyConfig['family'], config: unknown): FamilyConfig {
  try {
    return resolveFamilyConfig(family, config);
  } catch (error) {
    throw new StudioFailure(
      'ml',
      `The model config is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function resolveTraining(job: TrainJob): TrainingConfig {
  try {
    return resolveTrainingConfig(job.training);
  } catch (error) {
    throw new StudioFailure(
      'ml',
      `The training config is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

function textVocabulary(data: TextJobData): string[] {
  try {
    return checkVocabulary(data.vocabulary);
  } catch (error) {
    throw new StudioFailure('ml', error instanceof Error ? error.message : String(error));
  }
}

/** Trains one job to its end; throws a StudioFailure only for a job that cannot start. */
export async function runTrainJob(
  job: TrainJob,
  hooks: Pick<TrainHooks, 'onEvent' | 'shouldStop' | 'now' | 'onStep'>,
): Promise<TrainOutcome> {
  let training = resolveTraining(job);
  let spec = resolveSpec(job.family, job.config);
  const resume =
    job.resumeFrom === undefined
      ? undefined
      : { dir: job.resumeFrom, manifest: await readCheckpointManifest(job.resumeFrom) };
  if (resume !== undefined) {
    if (resume.manifest.family !== job.family) {
      throw new StudioFailure(
        'invalid-input',
        `The checkpoint is of a ${resume.manifest.family} model, not ${job.family}.`,
      );
    }
    // The architecture and the seed come from the checkpoint; the job may only train longer.
    spec = resolveSpec(job.family, resume.manifest.config);
    training = { ...training, seed: resume.manifest.training.seed };
  }
  checkBackendCanTrain(job.family);
  // Where the loop writes checkpoints, and what it records so a resume can rebuild the model.
  const checkpointTarget = (data: CheckpointData) =>
    job.checkpointDir === undefined
      ? undefined
      : { dir: job.checkpointDir, family: job.family, config: spec.config, data };
  const model = buildModel(spec, training.seed);
  const disposers: (() => void)[] = [() => model.dispose()];
  try {
    if (model.kind === 'image') {
      const data = job.data as ImageJobData;
      validateImageData(model, data);
      const source = imageBatchSource(data, model.batchSize, model.pixelRange);
      disposers.push(() => source.dispose());
      const preview = imagePreview(model, training.sampleCount, training.seed);
      disposers.push(() => preview.dispose());
      let quickEvaluation = null;
      try {
        quickEvaluation =
          job.quickEvaluation?.kind === 'images'
            ? await imageQuickEvaluator(model, data, job.quickEvaluation, hooks)
            : null;
      } catch (error) {
        // Stopped while the feature network trained: nothing was trained yet, nothing to save.
        if (error instanceof FeatureNetworkStopped) {
          return { status: 'stopped', step: resume?.manifest.step ?? 0 };
        }
        throw error;
      }
      if (quickEvaluation) disposers.push(() => quickEvaluation.dispose());
      const checkpointData: CheckpointData = {
        kind: 'image',
        imageSize: model.imageSize,
        channels: model.channels,
        classCount: model.classCount,
      };
      return await train(training, source, model, {
        ...hooks,
        preview,
        resume,
        checkpoint: checkpointTarget(checkpointData),
        ...(quickEvaluation ? { quickEvaluation } : {}),
      });
    }
    const data = job.data as TextJobData;
    const vocabulary = textVocabulary(data);
    if (vocabulary.length !== model.vocabSize) {
      throw new StudioFailure(
        'ml',
        `The vocabulary has ${vocabulary.length} characters but the model expects ${model.vocabSize}.`,
      );
    }
    const textSpec = textDataSpec(data, model.vocabSize);
    validateTextData(model.contextLength, textSpec);
    const source = textBatchSource(textSpec, model.batchSize, model.contextLength, training.seed);
    const decoding = {
      ...DEFAULT_TEXT_DECODING,
      ...data.decoding,
      count: Math.max(1, training.sampleCount),
    };
    // One draw per step, shared: the quick evaluation judges the very texts the preview shows
    // (same seed every time), at the sample points, so it generates nothing of its own.
    let drawn: { step: number; texts: string[] } | null = null;
    const textsAt = (step: number): string[] => {
      if (drawn?.step !== step) {
        const seed = derivedSeed(training.seed, SEED_PURPOSE.textSamples);
        drawn = { step, texts: generateTexts(model, vocabulary, decoding, seed) };
      }
      return drawn.texts;
    };
    const preview: Preview = {
      render: (step): JobEvent => ({ type: 'text-samples', step, texts: textsAt(step) }),
    };
    const quick = job.quickEvaluation;
    return await train(training, source, model, {
      ...hooks,
      preview,
      resume,
      checkpoint: checkpointTarget({ kind: 'text', vocabulary }),
      ...(quick?.kind === 'text'
        ? { quickEvaluation: textQuickEvaluator(vocabulary, textSpec.train, textsAt) }
        : {}),
    });
  } finally {
    for (const dispose of disposers.reverse()) dispose();
  }
}

/** Loads a checkpoint's model (architecture from its manifest), weights restored. */
export async function loadCheckpointModel(dir: string) {
  const manifest = await readCheckpointManifest(dir);
  const model = buildModel(resolveSpec(manifest.family, manifest.config));
  try {
    await restoreCheckpoint(dir, manifest, model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return { manifest, model };
}

export async function runSampleJob(request: SampleRequest): Promise<SampleResult> {
  const { manifest, model } = await loadCheckpointModel(request.checkpoint);
  const seed = request.seed ?? 1;
  try {
    if (request.kind === 'text') {
      if (model.kind !== 'text' || manifest.data.kind !== 'text') {
        throw new StudioFailure(
          'invalid-input',
          'This checkpoint is of an image model: ask for images.',
        );
      }
      const {
        jobId: _jobId,
        checkpoint: _checkpoint,
        seed: _seed,
        kind: _kind,
        ...options
      } = request;
      const texts = generateTexts(
        model as TextModel,
        manifest.data.vocabulary,
        { ...DEFAULT_TEXT_DECODING, ...options },
        seed,
      );
      return { kind: 'text', step: manifest.step, texts };
    }
    if (model.kind !== 'image') {
      throw new StudioFailure('invalid-input', 'This checkpoint is of a text model: ask for text.');
    }
    if (!Number.isInteger(request.count) || request.count < 1 || request.count > 256) {
      throw new StudioFailure('invalid-input', 'count must be a whole number from 1 to 256.');
    }
    const given = request.labels;
    const labels =
      model.classCount === 0
        ? undefined
        : given !== undefined && given.length > 0
          ? Int32Array.from({ length: request.count }, (_, i) => given[i % given.length] ?? 0)
          : request.mode === 'interpolation'
            ? new Int32Array(request.count)
            : gridLabels(request.count, model.classCount);
    if (labels?.some((label) => !(label >= 0 && label < model.classCount))) {
      throw new StudioFailure(
        'invalid-input',
        `Class ids must be from 0 to ${model.classCount - 1}.`,
      );
    }
    const noise =
      request.mode === 'interpolation'
        ? interpolationNoise(model.latentDim, request.count, seed)
        : latentNoise(request.count, model.latentDim, seed);
    try {
      const images = generateImages(model, noise, labels);
      return {
        kind: 'images',
        step: manifest.step,
        images,
        ...(labels === undefined ? {} : { labels: Array.from(labels) }),
      };
    } finally {
      noise.dispose();
    }
  } finally {
    model.dispose();
  }
}

export function runEstimateJob(request: EstimateRequest): ModelEstimate {
  checkBackendCanTrain(request.family);
  const model: GenerativeModel = buildModel(resolveSpec(request.family, request.config));
  try {
    return estimateModel(model, {
      warmup: request.warmupSteps ?? 2,
      steps: request.measureSteps ?? 5,
    });
  } finally {
    model.dispose();
  }
}
