// The 'evaluate' job (issue 11): judge what a checkpoint generates against the dataset version it
// trained on. Images: a fixed-seed set of samples, embedded with the version's feature network
// (trained here when main has none cached), then every realism, diversity and memorisation
// figure of main/evaluation. Text: fixed-seed samples against the training text, and the
// validation loss in bits per character.

import * as tf from '@tensorflow/tfjs';
import { derivedSeed } from '../../../common/random';
import { StudioFailure } from '../../../common/failure';
import {
  bitsPerCharacter,
  textEvaluationMetrics,
  textSampleMetrics,
  TrainingTextIndex,
} from '../../../evaluation/textMetrics';
import type {
  EvaluateCost,
  EvaluateRequest,
  EvaluateResult,
  GeneratedImage,
  ImageEvaluateRequest,
  ImageTensorData,
  TextEvaluateRequest,
} from '../../protocol';
import type { ImageGenerator, TextModel } from '../models/model';
import { loadCheckpointModel } from '../training/jobs';
import { DEFAULT_TEXT_DECODING, generatePixels, generateTexts } from '../training/generation';
import { encodeText } from '../training/vocabulary';
import {
  FeatureNetwork,
  trainFeatureNetwork,
  type FeatureNetworkHooks,
  type FeatureNetworkWeights,
} from './featureNetwork';
import { judgeImageSamples } from './judgeSamples';

// The job's wire shapes live in protocol.ts; re-exported for the worker's callers.
export type {
  EvaluateCost,
  EvaluateRequest,
  EvaluateResult,
  ImageEvaluateRequest,
  TextEvaluateRequest,
};

export type EvaluateHooks = Pick<FeatureNetworkHooks, 'shouldStop' | 'onProgress'>;

const invalid = (why: string): StudioFailure => new StudioFailure('invalid-input', why);

/** The first `count` images in [0, 1] as 8-bit images with buffers of their own. */
function previewImages(images: ImageTensorData, count: number): GeneratedImage[] {
  const size = images.height * images.width * images.channels;
  return Array.from({ length: count }, (_, n) => {
    const pixels = new Uint8Array(size);
    for (let i = 0; i < size; i++) {
      const value = images.pixels[n * size + i] ?? 0;
      pixels[i] = Math.min(255, Math.max(0, Math.round(value * 255)));
    }
    return { width: images.width, height: images.height, channels: images.channels, pixels };
  });
}

/**
 * The fewest items a side: the density/coverage balls reach the 5th neighbour among the
 * validation items, the precision/recall balls the 3rd among the samples.
 */
const MIN_VALIDATION = 6;
const MIN_SAMPLES = 4;

function checkImages(
  name: string,
  images: ImageTensorData,
  model: ImageGenerator,
  least: number,
): void {
  if (images.height !== model.imageSize || images.width !== model.imageSize) {
    throw invalid(
      `The ${name} images must be ${model.imageSize}×${model.imageSize} like the model's.`,
    );
  }
  if (images.channels !== model.channels) {
    throw invalid(`The ${name} images must have ${model.channels} channel(s) like the model's.`);
  }
  if (images.count < least) throw invalid(`Evaluating needs at least ${least} ${name} images.`);
}

/** How often the classifier is right on the validation items, against always guessing the largest class. */
function heldOutAccuracy(
  network: FeatureNetwork,
  request: ImageEvaluateRequest,
): { validationAccuracy: number | null; validationChance: number | null } {
  const labels = request.validationLabels;
  if (labels === undefined || labels.length !== request.validation.count || labels.length === 0) {
    return { validationAccuracy: null, validationChance: null };
  }
  const predicted = network.classify(request.validation);
  const counts = new Map<number, number>();
  let right = 0;
  labels.forEach((label, i) => {
    counts.set(label, (counts.get(label) ?? 0) + 1);
    if (predicted[i] === label) right++;
  });
  return {
    validationAccuracy: right / labels.length,
    validationChance: Math.max(...counts.values()) / labels.length,
  };
}

async function evaluateImages(
  request: ImageEvaluateRequest,
  model: ImageGenerator,
  step: number,
  hooks: EvaluateHooks,
): Promise<EvaluateResult> {
  checkImages('train', request.train, model, 2);
  checkImages('validation', request.validation, model, MIN_VALIDATION);
  const sampleCount = request.sampleCount ?? 256;
  if (!Number.isInteger(sampleCount) || sampleCount < MIN_SAMPLES || sampleCount > 4096) {
    throw invalid(`sampleCount must be a whole number from ${MIN_SAMPLES} to 4096.`);
  }
  const trained =
    request.featureNetwork === undefined
      ? await trainFeatureNetwork(
          request.train,
          request.trainLabels,
          request.classCount,
          request.featureNetworkOptions,
          hooks,
        )
      : undefined;
  const network = FeatureNetwork.fromWeights(
    trained ?? (request.featureNetwork as FeatureNetworkWeights),
  );
  try {
    const started = performance.now();
    const { pixels, requested } = generatePixels(model, sampleCount, request.seed ?? 1);
    const msPerSample = (performance.now() - started) / sampleCount;
    const samples: ImageTensorData = {
      pixels,
      count: sampleCount,
      height: model.imageSize,
      width: model.imageSize,
      channels: model.channels,
    };
    const previewCount = Math.min(request.previewCount ?? 0, sampleCount);
    const { evaluation, metrics, prediction } = judgeImageSamples(network, samples, {
      train: request.train,
      validation: request.validation,
      ...(request.trainLabels === undefined ? {} : { trainLabels: request.trainLabels }),
      // Asked-for classes only mean something when the model's ids are the version's.
      ...(requested !== undefined && model.classCount === network.weights.classCount
        ? { requested }
        : {}),
      ...(request.kid === undefined ? {} : { kid: request.kid }),
      ...(request.bootstrap === undefined ? {} : { bootstrap: request.bootstrap }),
    });
    return {
      kind: 'images',
      step,
      evaluation,
      metrics,
      previews: previewImages(samples, previewCount),
      ...(prediction === undefined
        ? {}
        : {
            previewClasses: {
              predicted: Array.from(prediction.classes.subarray(0, previewCount)),
              confidence: Array.from(prediction.confidence.subarray(0, previewCount)),
              ...heldOutAccuracy(network, request),
            },
          }),
      cost: { parameters: model.size().parameters, msPerSample, memoryBytes: tf.memory().numBytes },
      ...(trained === undefined ? {} : { trainedFeatureNetwork: trained }),
    };
  } finally {
    network.dispose();
  }
}

/** Mean cross-entropy (nats per character) over non-overlapping windows of the validation text. */
function validationNats(model: TextModel, tokens: Int32Array, maxWindows: number): number | null {
  const window = model.contextLength + 1;
  const windows = Math.min(maxWindows, Math.floor((tokens.length - 1) / model.contextLength));
  if (windows < 1) return null;
  let weighted = 0;
  for (let from = 0; from < windows; from += model.batchSize) {
    const n = Math.min(model.batchSize, windows - from);
    const values = new Int32Array(n * window);
    for (let w = 0; w < n; w++) {
      const start = (from + w) * model.contextLength;
      values.set(tokens.subarray(start, start + window), w * window);
    }
    const batch = tf.tensor2d(values, [n, window], 'int32'); // [B, T+1]
    try {
      weighted += (model.evaluate(batch).loss as number) * n;
    } finally {
      batch.dispose();
    }
  }
  return weighted / windows;
}

function evaluateText(
  request: TextEvaluateRequest,
  model: TextModel,
  vocabulary: string[],
  step: number,
): EvaluateResult {
  const sampleCount = request.sampleCount ?? 32;
  if (!Number.isInteger(sampleCount) || sampleCount < 1 || sampleCount > 1024) {
    throw invalid('sampleCount must be a whole number from 1 to 1024.');
  }
  const seed = request.seed ?? 1;
  const samples: string[] = [];
  const started = performance.now();
  // generateTexts draws at most 64 side by side; each further batch gets its own derived seed.
  for (let batch = 0; samples.length < sampleCount; batch++) {
    const count = Math.min(64, sampleCount - samples.length);
    const options = { ...DEFAULT_TEXT_DECODING, ...request.sampling, count };
    samples.push(
      ...generateTexts(model, vocabulary, options, batch === 0 ? seed : derivedSeed(seed, batch)),
    );
  }
  const generationMs = performance.now() - started;
  const characters = samples.reduce((sum, text) => sum + text.length, 0);
  const cost: EvaluateCost = {
    parameters: model.size().parameters,
    msPerSample: generationMs / sampleCount,
    memoryBytes: tf.memory().numBytes,
    ...(characters > 0 ? { msPerCharacter: generationMs / characters } : {}),
  };
  const evaluation = textSampleMetrics(samples, new TrainingTextIndex(request.trainingText));
  const metrics = textEvaluationMetrics(evaluation);
  let validationBitsPerCharacter: number | undefined;
  if (request.validationText !== undefined) {
    // Characters the training vocabulary lacks cannot be scored; they are left out.
    const tokens = encodeText(request.validationText, vocabulary, true);
    const nats = validationNats(model, tokens, request.validationWindows ?? 64);
    if (nats !== null) {
      validationBitsPerCharacter = bitsPerCharacter(nats);
      metrics.eval_val_bpc = validationBitsPerCharacter;
    }
  }
  return {
    kind: 'text',
    step,
    evaluation,
    samples,
    metrics,
    cost,
    ...(validationBitsPerCharacter === undefined ? {} : { validationBitsPerCharacter }),
  };
}

export async function runEvaluateJob(
  request: EvaluateRequest,
  hooks: EvaluateHooks = {},
): Promise<EvaluateResult> {
  const { manifest, model } = await loadCheckpointModel(request.checkpoint);
  try {
    if (request.kind === 'images') {
      if (model.kind !== 'image')
        throw invalid('This checkpoint is of a text model: evaluate text.');
      return await evaluateImages(request, model, manifest.step, hooks);
    }
    if (model.kind !== 'text' || manifest.data.kind !== 'text') {
      throw invalid('This checkpoint is of an image model: evaluate images.');
    }
    return evaluateText(request, model, manifest.data.vocabulary, manifest.step);
  } finally {
    model.dispose();
  }
}
