// One evaluation of generated images, from their features and the version's: every realism,
// diversity and memorisation figure of issue 11 in one call, and the same figures flattened into
// metric names a run stores beside its loss. tfjs-free: the ML worker embeds, this judges.

import { distanceErrors, type BootstrapOptions, type DistanceErrors } from './bootstrap';
import {
  classDistribution,
  conditionalAccuracy,
  type ClassDistribution,
  type ConditionalAccuracy,
} from './classDistribution';
import { classCoverage, lowestClassCoverage } from './classCoverage';
import { featureRows } from './features';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance, type KidOptions, type KidResult } from './kid';
import { manifoldMetrics, type ManifoldMetrics, type ManifoldOptions } from './manifold';
import { memorisationReport, type MemorisationReport } from './memorisation';

export interface ImageEvaluationInput {
  /** Width of a feature row. */
  dim: number;
  /** Feature rows [count, dim] of the generated samples and of the version's train and validation items. */
  samples: Float32Array;
  train: Float32Array;
  validation: Float32Array;
  /** Raw pixels [count, size] of the samples and the train items, for the pixel-space neighbour. */
  pixels?: { size: number; samples: Float32Array; train: Float32Array };
  /** Where the feature network is a classifier: what it sees in each sample, against the data. */
  classes?: {
    classCount: number;
    predicted: Int32Array;
    /** Its class probabilities, row-major [samples, classCount], for the soft coverage. */
    probabilities?: Float32Array;
    /** The labels of the data the samples are compared with: one per `train` row, in order. */
    dataLabels: Int32Array;
    /** For a class-conditional model: the class each sample was asked for. */
    requested?: Int32Array;
  };
  kid?: KidOptions;
  /** When set, also the bootstrap standard errors of FID and KID over the samples. */
  bootstrap?: BootstrapOptions;
  manifold?: ManifoldOptions;
  copyQuantile?: number;
}

export interface ImageEvaluation {
  sampleCount: number;
  /** Against the validation items (lower is better). */
  frechetDistance: number;
  kid: KidResult;
  /** How far FID and KID would move with another draw of samples (bootstrap.ts), when asked. */
  errors?: DistanceErrors;
  manifold: ManifoldMetrics;
  /** Against the train items, with the validation items as the yardstick. */
  memorisation: MemorisationReport;
  classes?: ClassDistribution & {
    /** Per class, the share of its training items a sample of that class lands near (classCoverage.ts). */
    coverage: (number | null)[];
    /** The same with the classifier's probabilities in place of its argmax (classCoverage.ts). */
    softCoverage: (number | null)[];
    conditional?: ConditionalAccuracy;
  };
}

export function evaluateImageFeatures(input: ImageEvaluationInput): ImageEvaluation {
  const samples = featureRows(input.samples, input.dim);
  const train = featureRows(input.train, input.dim);
  const validation = featureRows(input.validation, input.dim);
  const evaluation: ImageEvaluation = {
    sampleCount: samples.count,
    frechetDistance: frechetDistance(validation, samples),
    kid: kernelInceptionDistance(validation, samples, input.kid),
    manifold: manifoldMetrics(validation, samples, input.manifold),
    memorisation: memorisationReport({
      samples,
      train,
      validation,
      ...(input.copyQuantile === undefined ? {} : { copyQuantile: input.copyQuantile }),
      ...(input.pixels === undefined
        ? {}
        : {
            pixels: {
              samples: featureRows(input.pixels.samples, input.pixels.size),
              train: featureRows(input.pixels.train, input.pixels.size),
            },
          }),
    }),
  };
  if (input.bootstrap !== undefined) {
    evaluation.errors = distanceErrors(validation, samples, input.bootstrap);
  }
  const classes = input.classes;
  if (classes !== undefined) {
    const spread = {
      ...classDistribution(classes.predicted, classes.dataLabels, classes.classCount),
      ...classCoverage({
        train,
        trainLabels: classes.dataLabels,
        samples,
        predicted: classes.predicted,
        classCount: classes.classCount,
        ...(classes.probabilities === undefined ? {} : { probabilities: classes.probabilities }),
      }),
    };
    evaluation.classes =
      classes.requested === undefined
        ? spread
        : {
            ...spread,
            conditional: conditionalAccuracy(
              classes.requested,
              classes.predicted,
              classes.classCount,
            ),
          };
  }
  return evaluation;
}

/**
 * The headline figures as run metrics (`eval_<what>`), so they are stored and charted like the
 * loss. Lower is better for the distances, the copy share and the class spread's distance; higher
 * for precision, recall, density, coverage and accuracy; the data-copying z is best near 0.
 */
export function imageEvaluationMetrics(evaluation: ImageEvaluation): Record<string, number> {
  const metrics: Record<string, number> = {
    eval_frechet_distance: evaluation.frechetDistance,
    eval_kid: evaluation.kid.kid,
    eval_precision: evaluation.manifold.precision,
    eval_recall: evaluation.manifold.recall,
    eval_density: evaluation.manifold.density,
    eval_coverage: evaluation.manifold.coverage,
    eval_near_copy_share: evaluation.memorisation.nearCopyShare,
    eval_data_copying_z: evaluation.memorisation.dataCopying.z,
  };
  const cellZ = evaluation.memorisation.dataCopying.cells.ct;
  if (Number.isFinite(cellZ)) metrics.eval_data_copying_cells_z = cellZ;
  if (evaluation.classes !== undefined) {
    metrics.eval_class_total_variation = evaluation.classes.totalVariation;
    metrics.eval_missing_classes = evaluation.classes.missingClasses.length;
    const lowest = lowestClassCoverage(evaluation.classes.coverage);
    if (lowest !== null) metrics.eval_lowest_class_coverage = lowest;
    if (evaluation.classes.conditional !== undefined) {
      metrics.eval_conditional_accuracy = evaluation.classes.conditional.overall;
    }
  }
  return metrics;
}
