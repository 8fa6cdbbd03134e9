// One judge for both sides' image samples: the twin gives the DCGAN no quality figure and writes
// only a PNG grid of 64 samples (it has no option for more, nor for another noise seed), so the
// studio's 64 samples go through a grid of the same layout too (./grid.ts), both grids are cut
// back into images by the same code, and both sets are scored by the studio's own
// evaluation (main/ml/worker/evaluation/judgeSamples.ts): the feature network it trains on a
// version's items (a digit classifier here, the evaluation's steps, width and seed), Fréchet
// distance, KID, precision/recall and density/coverage against the 180 validation digits.
// 64 samples is what the studio's quick evaluation uses too; at that size the Fréchet distance
// carries a bias that both sides share, and sets of 64 held-out real digits show its floor.

import {
  FEATURE_EMBEDDING,
  FEATURE_NETWORK_STEPS,
  FEATURE_SEED,
} from '../../main/evaluation/evaluationService';
import type { ImageTensorData } from '../../main/ml/protocol';
import {
  FeatureNetwork,
  trainFeatureNetwork,
} from '../../main/ml/worker/evaluation/featureNetwork';
import { judgeImageSamples } from '../../main/ml/worker/evaluation/judgeSamples';
import { IMAGE_SIZE, type Digits } from './data';
import { GRID } from './grid';

/** The judge's figures for one sample set (lower is better for the first two, higher for the rest). */
export interface JudgeFigures {
  frechetDistance: number;
  kid: number;
  precision: number;
  recall: number;
  density: number;
  coverage: number;
  /** Digits the judge's classifier finds in none of the samples. */
  missingClasses: number;
  /** When asked: the bootstrap standard errors of FID and KID (main/evaluation/bootstrap.ts). */
  errors?: { frechetDistance: number; kid: number };
}

const JUDGE_NETWORK =
  `the studio's evaluation judge: a digit classifier trained on the 1617 training digits ` +
  `(${FEATURE_NETWORK_STEPS} steps, ${FEATURE_EMBEDDING}-d embedding, seed ${FEATURE_SEED})`;

export const JUDGE_DESCRIPTION = `${JUDGE_NETWORK}; ${GRID.count} samples each, cut from the 8-bit PNG grids, against the validation digits`;

/** The seed sweep's samples reach the judge as floats, not through a PNG grid. */
export const sweepJudgeDescription = (count: number): string =>
  `${JUDGE_NETWORK}; ${count} samples of each trained model, against the validation digits`;

export interface ImageJudge {
  score(samples: ImageTensorData, withErrors?: boolean): JudgeFigures;
  /** Consecutive sets of `GRID.count` images of `pixels` ([N, 28, 28] in [0, 1]), each scored. */
  scoreSets(pixels: Float32Array): JudgeFigures[];
  /** The same with sets of `size` images. */
  scoreSetsOf(pixels: Float32Array, size: number): JudgeFigures[];
  dispose(): void;
}

function images(pixels: Float32Array, from: number, to: number): ImageTensorData {
  const size = IMAGE_SIZE * IMAGE_SIZE;
  return {
    pixels: pixels.subarray(from * size, to * size),
    count: to - from,
    height: IMAGE_SIZE,
    width: IMAGE_SIZE,
    channels: 1,
  };
}

export async function imageJudge(digits: Digits): Promise<ImageJudge> {
  const train = images(digits.pixels, 0, digits.trainCount);
  const validation = images(
    digits.pixels,
    digits.trainCount,
    digits.trainCount + digits.validationCount,
  );
  const trainLabels = digits.labels.subarray(0, digits.trainCount);
  const weights = await trainFeatureNetwork(train, trainLabels, 10, {
    steps: FEATURE_NETWORK_STEPS,
    embeddingDim: FEATURE_EMBEDDING,
    seed: FEATURE_SEED,
  });
  const network = FeatureNetwork.fromWeights(weights);
  const score = (samples: ImageTensorData, withErrors = false): JudgeFigures => {
    const { evaluation } = judgeImageSamples(network, samples, {
      train,
      validation,
      trainLabels,
      // A fixed seed, so both sides' KID subsets are drawn alike.
      kid: { seed: FEATURE_SEED },
      ...(withErrors ? { bootstrap: { seed: FEATURE_SEED } } : {}),
    });
    const { manifold } = evaluation;
    return {
      frechetDistance: evaluation.frechetDistance,
      kid: evaluation.kid.kid,
      precision: manifold.precision,
      recall: manifold.recall,
      density: manifold.density,
      coverage: manifold.coverage,
      missingClasses: evaluation.classes?.missingClasses.length ?? 0,
      ...(evaluation.errors === undefined
        ? {}
        : {
            errors: {
              frechetDistance: evaluation.errors.frechetDistance,
              kid: evaluation.errors.kid,
            },
          }),
    };
  };
  const perImage = IMAGE_SIZE * IMAGE_SIZE;
  const scoreSetsOf = (pixels: Float32Array, size: number): JudgeFigures[] =>
    Array.from({ length: Math.floor(pixels.length / perImage / size) }, (_, set) =>
      score(images(pixels, set * size, (set + 1) * size)),
    );
  return {
    score,
    scoreSets: (pixels) => scoreSetsOf(pixels, GRID.count),
    scoreSetsOf,
    dispose: () => network.dispose(),
  };
}
