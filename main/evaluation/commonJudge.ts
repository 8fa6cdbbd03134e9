// One judge for several runs (issue 11, "what cleaning bought"): each run's own evaluation is
// against its own version (its validation items, a feature network trained on its items, a
// near-copy threshold from its split), so two runs on two versions get figures that do not
// compare. Here every run's checkpoint is judged against ONE reference version: the same feature
// network (the reference's cached one, shared with its runs' own evaluations), the same
// validation items, the same training items to find nearest neighbours among, and so the same
// near-copy threshold (a low quantile of the reference's validation→train distances, exact-copy
// validation items left out, see memorisation.ts). The same fixed noise too (EVALUATION_SEED).
//
// Beside the usual figures it measures what duplicates and a starved class do to a model:
// how often a sample's nearest reference item is one of the items that were duplicated (a model
// that saw 40 copies of an item draws it far more often than its 1-in-N share), and for the
// scarcest class both the share of samples the judge's classifier puts in it and its coverage
// (the share of its items some sample of it lands near, classCoverage.ts).

import path from 'node:path';
import type { CommonJudgeInfo } from '../../preload/contract';
import { notFound, StudioFailure } from '../common/failure';
import type {
  ImageTrainingData,
  TextTrainingData,
  TrainingData,
  TrainingDataOptions,
} from '../datasets/prepare/trainingData';
import type { MlHost } from '../ml/host';
import type { RunRepository } from '../runs/runRepository';
import {
  dataOptions,
  EVALUATION_SEED,
  FEATURE_EMBEDDING,
  FEATURE_NETWORK_STEPS,
  FEATURE_SEED,
  type StoredRunConfig,
} from './evaluationService';
import { featureNetworkKey, readFeatureNetwork, writeFeatureNetwork } from './featureNetworkStore';
import type { FeatureNetworkWeights } from './featureNetworkStore';

export interface CommonJudgeDeps {
  dataDir: string;
  runs: Pick<RunRepository, 'get' | 'config' | 'checkpointDir'>;
  ml: Pick<MlHost, 'evaluate'>;
  loadTrainingData(versionId: number, options?: TrainingDataOptions): Promise<TrainingData>;
  imageSamples?: number;
  textSamples?: number;
  featureNetworkSteps?: number;
}

export interface CommonJudgeRequest {
  runIds: number[];
  referenceVersionId: number;
  /** Items that some version held more than once (its audit's duplicate groups). */
  duplicatedItemIds: readonly number[];
}

export interface CommonJudgement {
  info: CommonJudgeInfo;
  /** Per run, in the order asked: its figures against the reference. */
  metrics: Record<string, number>[];
  /**
   * Per run, the standard error of those figures that have one from resampling its samples
   * (FID and KID, bootstrap.ts); the shares of samples get theirs from their count.
   */
  errors: Record<string, number>[];
}

/** ½·Σ|share − 1/K|: 0 when the samples spread evenly over the K classes. */
export function distanceFromUniform(shares: readonly number[]): number {
  const k = shares.length;
  return k === 0 ? 0 : shares.reduce((sum, s) => sum + Math.abs(s - 1 / k), 0) / 2;
}

/** The labeled class with the fewest training items in any of the versions, by name. */
export function scarcestClass(versions: readonly TrainingData[]): string | null {
  let scarcest: { name: string; share: number } | null = null;
  for (const data of versions) {
    const counts = new Array<number>(data.classCount).fill(0);
    for (const label of data.train.labels) counts[label] = (counts[label] ?? 0) + 1;
    const total = data.train.labels.length;
    data.classNames.forEach((name, c) => {
      if (name === null || total === 0) return;
      const share = (counts[c] ?? 0) / total;
      if (!scarcest || share < scarcest.share) scarcest = { name, share };
    });
  }
  return (scarcest as { name: string } | null)?.name ?? null;
}

export async function judgeRuns(
  deps: CommonJudgeDeps,
  request: CommonJudgeRequest,
): Promise<CommonJudgement> {
  const stored = request.runIds.map((runId) => {
    const summary = deps.runs.get(runId);
    if (!summary) throw notFound(`Run ${runId}`);
    const checkpoint = deps.runs.checkpointDir(runId);
    if (!checkpoint) throw new StudioFailure('invalid-input', `Run ${runId} has no checkpoint.`);
    return {
      summary,
      checkpoint: path.join(deps.dataDir, checkpoint),
      options: dataOptions(deps.runs.config(runId) as unknown as StoredRunConfig),
    };
  });
  const first = stored[0];
  if (!first) throw new StudioFailure('invalid-input', 'Judging needs at least one run.');
  const sameOptions = JSON.stringify(first.options);
  if (stored.some((s) => JSON.stringify(s.options) !== sameOptions)) {
    throw new StudioFailure('invalid-input', 'The runs trained at different image sizes.');
  }
  const reference = await deps.loadTrainingData(request.referenceVersionId, first.options);
  if (reference.kind === 'text') return judgeText(deps, stored, reference);
  const own = await Promise.all(
    stored.map((s) => deps.loadTrainingData(s.summary.versionId, first.options)),
  );
  return judgeImages(deps, stored, reference, scarcestClass([reference, ...own]), request);
}

interface StoredRun {
  summary: { id: number };
  checkpoint: string;
}

async function judgeImages(
  deps: CommonJudgeDeps,
  stored: StoredRun[],
  reference: ImageTrainingData,
  scarce: string | null,
  request: CommonJudgeRequest,
): Promise<CommonJudgement> {
  const steps = deps.featureNetworkSteps ?? FEATURE_NETWORK_STEPS;
  const options = { steps, embeddingDim: FEATURE_EMBEDDING, seed: FEATURE_SEED };
  const { height, width, channels } = reference.train;
  const networkDir = path.join(
    deps.dataDir,
    'cache',
    'features',
    String(reference.versionId),
    featureNetworkKey({ height, width, channels }, options),
  );
  let network = await readFeatureNetwork(networkDir);
  const unlabeled = reference.classNames.indexOf(null);
  const labeled = reference.classNames.filter((n) => n !== null).length;
  const classify = labeled >= 2 && (unlabeled < 0 || !reference.train.labels.includes(unlabeled));
  const duplicated = new Set(request.duplicatedItemIds);
  const scarceIndex = scarce === null ? -1 : reference.classNames.indexOf(scarce);
  const sampleCount = deps.imageSamples ?? 256;
  let copyThreshold: number | null = null;
  const metrics: Record<string, number>[] = [];
  const errors: Record<string, number>[] = [];
  for (const run of stored) {
    const result = await deps.ml.evaluate({
      jobId: `judge-${run.summary.id}-${Date.now()}`,
      kind: 'images',
      checkpoint: run.checkpoint,
      train: reference.train,
      validation: reference.validation,
      classCount: classify ? reference.classCount : 0,
      ...(classify ? { trainLabels: reference.train.labels } : {}),
      ...(network ? { featureNetwork: network } : {}),
      featureNetworkOptions: options,
      sampleCount,
      seed: EVALUATION_SEED,
      previewCount: 0,
      bootstrap: { seed: EVALUATION_SEED },
    });
    if (result.kind !== 'images') throw new StudioFailure('internal', 'Expected image figures.');
    if (result.trainedFeatureNetwork) {
      // The first run's job trained it: the next runs (and later evaluations) reuse it.
      network = result.trainedFeatureNetwork as FeatureNetworkWeights;
      await writeFeatureNetwork(networkDir, network);
    }
    const { memorisation, classes } = result.evaluation;
    copyThreshold = memorisation.copyThreshold;
    const nearestIsDuplicated = memorisation.samples.map((s) =>
      duplicated.has(reference.train.itemIds[s.trainIndex] ?? -1),
    );
    const share = (flags: boolean[]): number =>
      flags.length ? flags.filter(Boolean).length / flags.length : 0;
    const figures: Record<string, number> = {
      frechet_distance: result.metrics.eval_frechet_distance ?? Number.NaN,
      kid: result.metrics.eval_kid ?? Number.NaN,
      precision: result.metrics.eval_precision ?? Number.NaN,
      recall: result.metrics.eval_recall ?? Number.NaN,
      coverage: result.metrics.eval_coverage ?? Number.NaN,
      near_copy_share: memorisation.nearCopyShare,
    };
    if (duplicated.size > 0) {
      figures.duplicated_item_share = share(nearestIsDuplicated);
      figures.duplicated_near_copy_share = share(
        memorisation.samples.map((s, i) => s.nearCopy && nearestIsDuplicated[i] === true),
      );
    }
    if (classes) {
      figures.class_distance_from_uniform = distanceFromUniform(classes.sampleShares);
      figures.missing_classes = classes.missingClasses.length;
      figures.class_total_variation = classes.totalVariation;
      const lowest = result.metrics.eval_lowest_class_coverage;
      if (lowest !== undefined) figures.lowest_class_coverage = lowest;
      if (scarceIndex >= 0) {
        // How much of the scarce class the samples reach (classCoverage.ts), and how often they
        // are of it at all, as the judge's classifier sees them.
        figures.scarce_class_coverage = classes.coverage[scarceIndex] ?? 0;
        figures.scarce_class_soft_coverage = classes.softCoverage[scarceIndex] ?? 0;
        figures.scarce_class_share = classes.sampleShares[scarceIndex] ?? 0;
      }
    }
    metrics.push(figures);
    const spread = result.evaluation.errors;
    errors.push(spread ? { frechet_distance: spread.frechetDistance, kid: spread.kid } : {});
  }
  return {
    info: {
      referenceVersionId: reference.versionId,
      featureNetwork: classify ? 'classifier' : 'autoencoder',
      trainItems: reference.train.count,
      validationItems: reference.validation.count,
      sampleCount,
      copyThreshold,
      scarceClass: classify ? scarce : null,
      duplicatedItems: duplicated.size,
    },
    metrics,
    errors,
  };
}

async function judgeText(
  deps: CommonJudgeDeps,
  stored: StoredRun[],
  reference: TextTrainingData,
): Promise<CommonJudgement> {
  const decode = (tokens: Int32Array): string =>
    Array.from(tokens, (t) => reference.vocabulary[t] ?? '').join('');
  const trainingText = decode(reference.train.tokens);
  const validationText = decode(reference.validation.tokens);
  const sampleCount = deps.textSamples ?? 16;
  const metrics: Record<string, number>[] = [];
  for (const run of stored) {
    const result = await deps.ml.evaluate({
      jobId: `judge-${run.summary.id}-${Date.now()}`,
      kind: 'text',
      checkpoint: run.checkpoint,
      trainingText,
      ...(validationText.length > 1 ? { validationText } : {}),
      sampleCount,
      seed: EVALUATION_SEED,
    });
    metrics.push(
      Object.fromEntries(
        Object.entries(result.metrics).map(([name, value]) => [name.replace(/^eval_/, ''), value]),
      ),
    );
  }
  return {
    info: {
      referenceVersionId: reference.versionId,
      featureNetwork: 'none',
      trainItems: reference.train.tokens.length,
      validationItems: reference.validation.tokens.length,
      sampleCount,
      copyThreshold: null,
      scarceClass: null,
      duplicatedItems: 0,
    },
    metrics,
    errors: metrics.map(() => ({})),
  };
}
