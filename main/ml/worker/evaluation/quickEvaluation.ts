// The quick evaluation a training job runs at each of its validation points (issue 11): a small
// fixed set of samples (the same noise, or the same seed, every time, so the curve shows the
// model and not the draw), judged by the end evaluation's own maths, with names that say they
// are the quick ones (`eval_quick_*`: fewer samples than the full `eval_*`, so the Fréchet
// distance in particular sits higher and the two are not one curve). Inference only: generation
// and embedding run in tf.tidy, never under a gradient tape, and touch no optimiser state.

import { seededRandom, shuffleInPlace } from '../../../common/random';
import { StudioFailure } from '../../../common/failure';
import { evaluateImageFeatures, imageEvaluationMetrics } from '../../../evaluation/imageEvaluation';
import {
  textEvaluationMetrics,
  textSampleMetrics,
  TrainingTextIndex,
} from '../../../evaluation/textMetrics';
import type { ImageJobData, ImageTensorData, JobEvent, QuickEvaluationSpec } from '../../protocol';
import type { ImageGenerator } from '../models/model';
import { generatePixels } from '../training/generation';
import { FeatureNetwork, trainFeatureNetwork } from './featureNetwork';

export interface QuickEvaluator {
  /** The figures for the model as it is at `step`, named `eval_quick_*`. */
  evaluate(step: number): Record<string, number>;
  /** Judged at the sample points rather than the validation points (see TrainHooks). */
  atSamples?: boolean;
  dispose(): void;
}

/**
 * The reference sets are capped, chosen once per job by a seeded shuffle: every quick evaluation
 * compares with the same items, and its cost does not grow with the dataset (the memorisation
 * figures scan samples × train items and validation × train items each time).
 */
export const QUICK_LIMITS = { validation: 256, train: 2048 } as const;
/** Below these the k-NN balls (5th neighbour among validation items, 3rd among samples) are undefined. */
const MIN_VALIDATION = 6;
const MIN_SAMPLES = 4;

/** `eval_x` → `eval_quick_x`. */
export function quickNames(metrics: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(metrics).map(([name, value]) => [name.replace(/^eval_/, 'eval_quick_'), value]),
  );
}

function fixedSubset(count: number, limit: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: count }, (_, i) => i);
  if (count <= limit) return order;
  shuffleInPlace(order, seededRandom(seed));
  return order.slice(0, limit).sort();
}

/** Images `rows` of `images`, as a set of their own. */
function imageRows(images: ImageTensorData, rows: Int32Array): ImageTensorData {
  const size = images.height * images.width * images.channels;
  const pixels = new Float32Array(rows.length * size);
  rows.forEach((row, i) =>
    pixels.set(images.pixels.subarray(row * size, (row + 1) * size), i * size),
  );
  const { height, width, channels } = images;
  return { pixels, count: rows.length, height, width, channels };
}

/**
 * Builds the image evaluator: loads the feature network it is given or trains it (announcing
 * the trained one so main caches it for this version), and embeds the reference items once.
 * Null when the version holds too few validation items to judge against.
 */
export async function imageQuickEvaluator(
  model: ImageGenerator,
  data: ImageJobData,
  spec: Extract<QuickEvaluationSpec, { kind: 'images' }>,
  hooks: { onEvent(event: JobEvent): void; shouldStop(): boolean },
): Promise<QuickEvaluator | null> {
  if (data.validation.count < MIN_VALIDATION || data.train.count < 2) return null;
  if (!Number.isInteger(spec.sampleCount) || spec.sampleCount < MIN_SAMPLES) {
    throw new StudioFailure(
      'invalid-input',
      `The quick evaluation needs at least ${MIN_SAMPLES} samples.`,
    );
  }
  let weights = spec.featureNetwork;
  if (weights === undefined) {
    weights = await trainFeatureNetwork(
      data.train,
      spec.trainLabels,
      spec.classCount,
      spec.featureNetworkOptions,
      { shouldStop: hooks.shouldStop },
    );
    hooks.onEvent({ type: 'feature-network', weights });
  }
  const network = FeatureNetwork.fromWeights(weights);
  const dim = network.embeddingDim;
  const trainRows = fixedSubset(data.train.count, QUICK_LIMITS.train, spec.seed);
  const validationRows = fixedSubset(data.validation.count, QUICK_LIMITS.validation, spec.seed + 1);
  // Only the chosen items are embedded: a large version costs no more than a small one.
  const train = network.embed(imageRows(data.train, trainRows));
  const validation = network.embed(imageRows(data.validation, validationRows));
  const classifier = weights.kind === 'classifier' && spec.trainLabels !== undefined;
  const dataLabels = classifier
    ? Int32Array.from(trainRows, (i) => spec.trainLabels?.[i] ?? 0)
    : undefined;
  return {
    evaluate() {
      const { pixels, requested } = generatePixels(model, spec.sampleCount, spec.seed);
      const samples: ImageTensorData = {
        pixels,
        count: spec.sampleCount,
        height: model.imageSize,
        width: model.imageSize,
        channels: model.channels,
      };
      const evaluation = evaluateImageFeatures({
        dim,
        samples: network.embed(samples),
        train,
        validation,
        // One subset of everything: with a few dozen samples, more subsets only resample them.
        kid: { subsets: 1, seed: spec.seed },
        ...(dataLabels !== undefined
          ? {
              classes: {
                classCount: weights.classCount,
                predicted: network.classify(samples),
                dataLabels,
                ...(requested !== undefined && model.classCount === weights.classCount
                  ? { requested }
                  : {}),
              },
            }
          : {}),
      });
      return quickNames(imageEvaluationMetrics(evaluation));
    },
    dispose: () => network.dispose(),
  };
}

/**
 * The text evaluator: the training text indexed once (a suffix automaton, linear in its length),
 * then at each point the job's fixed-seed texts of that step (`textsAt`: the ones its preview
 * shows, drawn once per step) against it. It judges at the sample points, where the preview has
 * drawn those texts already: drawing them is what costs (a char-GPT-small's 16 × 200 characters
 * take some 18 of its training steps), the judging itself a few milliseconds.
 */
export function textQuickEvaluator(
  vocabulary: string[],
  trainTokens: Int32Array,
  textsAt: (step: number) => string[],
): QuickEvaluator {
  const trainingText = Array.from(trainTokens, (t) => vocabulary[t] ?? '').join('');
  const index = new TrainingTextIndex(trainingText);
  return {
    evaluate(step) {
      return quickNames(textEvaluationMetrics(textSampleMetrics(textsAt(step), index)));
    },
    atSamples: true,
    dispose() {},
  };
}
