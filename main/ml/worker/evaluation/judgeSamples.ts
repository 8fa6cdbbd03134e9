// Judging a set of generated images that is already at hand (issue 11): the evaluate job judges
// the samples it draws from a checkpoint with it, and so can anything that has images from
// elsewhere (the quality benchmark scores the PyTorch twin's sample grid with it), so both are
// judged by the same feature network on the same figures.

import { evaluateImageFeatures, imageEvaluationMetrics } from '../../../evaluation/imageEvaluation';
import type { ImageEvaluation } from '../../../evaluation/imageEvaluation';
import type { BootstrapOptions } from '../../../evaluation/bootstrap';
import type { KidOptions } from '../../../evaluation/kid';
import type { ImageTensorData } from '../../protocol';
import type { FeatureNetwork } from './featureNetwork';

export interface SampleJudgement {
  evaluation: ImageEvaluation;
  /** The headline figures as run metrics (eval_*). */
  metrics: Record<string, number>;
  /** Where the network is a classifier and the train labels are given: what it sees in each sample. */
  prediction?: { classes: Int32Array; confidence: Float32Array; probabilities: Float32Array };
}

export interface JudgedAgainst {
  /** The version's items, in [0, 1], at the samples' size. */
  train: ImageTensorData;
  validation: ImageTensorData;
  /** Labels of the train items: with a classifier network, the class spread and coverage. */
  trainLabels?: Int32Array;
  /** For a class-conditional model whose class ids are the network's: what each sample was asked for. */
  requested?: Int32Array;
  kid?: KidOptions;
  /** Resampling for the standard errors of FID and KID; none, no errors (they cost ~1 s). */
  bootstrap?: BootstrapOptions;
}

/**
 * Every realism, diversity and memorisation figure of `samples` (images in [0, 1]) against the
 * train and validation items, in the embedding of `network`.
 */
export function judgeImageSamples(
  network: FeatureNetwork,
  samples: ImageTensorData,
  against: JudgedAgainst,
): SampleJudgement {
  const classifier = network.weights.kind === 'classifier' && against.trainLabels !== undefined;
  const prediction = classifier ? network.predict(samples) : undefined;
  const evaluation = evaluateImageFeatures({
    dim: network.embeddingDim,
    samples: network.embed(samples),
    train: network.embed(against.train),
    validation: network.embed(against.validation),
    pixels: {
      size: samples.height * samples.width * samples.channels,
      samples: samples.pixels,
      train: against.train.pixels,
    },
    ...(prediction !== undefined && against.trainLabels !== undefined
      ? {
          classes: {
            classCount: network.weights.classCount,
            predicted: prediction.classes,
            probabilities: prediction.probabilities,
            dataLabels: against.trainLabels,
            ...(against.requested === undefined ? {} : { requested: against.requested }),
          },
        }
      : {}),
    ...(against.kid === undefined ? {} : { kid: against.kid }),
    ...(against.bootstrap === undefined ? {} : { bootstrap: against.bootstrap }),
  });
  return {
    evaluation,
    metrics: imageEvaluationMetrics(evaluation),
    ...(prediction === undefined ? {} : { prediction }),
  };
}
