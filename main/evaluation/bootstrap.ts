// How far a distance between distributions would move if the model had drawn other samples: the
// bootstrap standard error (Efron) of the Fréchet distance and of KID over the generated samples,
// the reference set held fixed. A version comparison judges both runs against one reference
// (commonJudge.ts), so the reference's own noise is shared by the two figures and falls out of
// their difference; what is left is each run's draw of samples, which is what resampling them
// measures. Without it a change of 1.6 in a Fréchet distance of 2,850 got the same ★ as a
// change of 30% (the shares of samples have their binomial error, shareChange.ts).

import { seededRandom } from '../common/random';
import { selectRows, type FeatureRows } from './features';
import { fitGaussian, type Gaussian } from './linalg';
import { frechetDistanceOfGaussians } from './frechet';
import { unbiasedMmd2 } from './kid';

export interface BootstrapOptions {
  /** Resamples of the samples, each as many rows drawn with replacement (default 24). */
  resamples?: number;
  seed?: number;
}

export interface DistanceErrors {
  /** Standard deviation of the Fréchet distance over the resamples. */
  frechetDistance: number;
  /** The same for the unbiased MMD² of the whole sets (KID without its subsets). */
  kid: number;
  resamples: number;
}

function standardDeviation(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
}

/**
 * Distinct rows of a resample: a row drawn twice would count as a pair at distance 0 in the MMD's
 * within-set term (a bias the size of the kernel's diagonal), so KID is taken over the distinct
 * rows drawn, a subsample of about 63% of them without replacement, and its spread scaled to the
 * full count below.
 */
function distinct(indices: Int32Array): Int32Array {
  return Int32Array.from(new Set(indices));
}

/** Bootstrap standard errors of FID and KID of `samples` against the fixed `reference`. */
export function distanceErrors(
  reference: FeatureRows,
  samples: FeatureRows,
  options: BootstrapOptions = {},
): DistanceErrors {
  const resamples = Math.max(2, options.resamples ?? 24);
  const random = seededRandom(options.seed ?? 0);
  const fixed: Gaussian = fitGaussian(reference);
  const frechet: number[] = [];
  const kid: number[] = [];
  let distinctRows = 0;
  const drawn = new Int32Array(samples.count);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < drawn.length; i++) drawn[i] = Math.floor(random() * samples.count);
    frechet.push(frechetDistanceOfGaussians(fixed, fitGaussian(selectRows(samples, drawn))));
    const rows = distinct(drawn);
    distinctRows += rows.length;
    kid.push(unbiasedMmd2(reference, selectRows(samples, rows)));
  }
  // A subsample of m of the n rows, without replacement, strays from the whole set's figure by
  // σ²·(1/m − 1/n) where the figure's own variance is σ²/n: so SE = spread / √(n/m − 1).
  const m = distinctRows / resamples;
  const kidScale = m < samples.count ? 1 / Math.sqrt(samples.count / m - 1) : 0;
  return {
    frechetDistance: standardDeviation(frechet),
    kid: standardDeviation(kid) * kidScale,
    resamples,
  };
}
