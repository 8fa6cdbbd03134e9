// Fréchet distance between Gaussians fitted to two feature sets (the "FID" of Heusel et al. 2017,
// on the studio's own feature network instead of Inception): |μ1 − μ2|² + tr(C1 + C2 − 2√(C1·C2)).
// Lower is better; 0 when both sets have the same mean and covariance.

import { sameDimension, type FeatureRows } from './features';
import { fitGaussian, trace, traceSqrtOfProduct, type Gaussian } from './linalg';

export function frechetDistanceOfGaussians(a: Gaussian, b: Gaussian): number {
  if (a.mean.length !== b.mean.length) throw new RangeError('Gaussians of different dimensions');
  let meanTerm = 0;
  for (let d = 0; d < a.mean.length; d++) {
    const diff = (a.mean[d] as number) - (b.mean[d] as number);
    meanTerm += diff * diff;
  }
  const covarianceTerm =
    trace(a.covariance) + trace(b.covariance) - 2 * traceSqrtOfProduct(a.covariance, b.covariance);
  // Rounding can leave a hair below 0 for identical sets; a distance is never negative.
  return Math.max(meanTerm + covarianceTerm, 0);
}

/** Fréchet distance between the Gaussians fitted to `a` and `b` (each at least 2 rows). */
export function frechetDistance(a: FeatureRows, b: FeatureRows): number {
  sameDimension(a, b);
  return frechetDistanceOfGaussians(fitGaussian(a), fitGaussian(b));
}
