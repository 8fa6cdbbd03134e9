// Whether generated samples lie where the data lies (fidelity) and cover all of it (diversity),
// judged by k-nearest-neighbour balls around each point instead of one Gaussian:
// - precision and recall (Kynkäänniemi et al. 2019, k = 3): the share of samples inside the
//   data's manifold (the union of each real point's ball reaching its k-th real neighbour), and
//   the share of real points inside the samples' manifold;
// - density and coverage (Naeem et al. 2020, k = 5): how many real balls hold each sample, on
//   average over k (1 when samples are spread like the data; robust to a few real outliers), and
//   the share of real points whose ball holds at least one sample.
// All four are higher-is-better; precision, recall and coverage lie in [0, 1].

import { kthSmallestPerRow, pairwiseDistances, sameDimension, type FeatureRows } from './features';

export interface ManifoldOptions {
  /** Neighbour for the precision/recall balls (default 3). */
  precisionRecallK?: number;
  /** Neighbour for the density/coverage balls (default 5). */
  densityCoverageK?: number;
}

export interface ManifoldMetrics {
  precision: number;
  recall: number;
  density: number;
  coverage: number;
}

/** `real` is the data (validation items), `fake` the generated samples. */
export function manifoldMetrics(
  real: FeatureRows,
  fake: FeatureRows,
  options: ManifoldOptions = {},
): ManifoldMetrics {
  sameDimension(real, fake);
  const prK = options.precisionRecallK ?? 3;
  const dcK = options.densityCoverageK ?? 5;
  const n = real.count;
  const m = fake.count;
  const realToReal = pairwiseDistances(real, real);
  const fakeToFake = pairwiseDistances(fake, fake);
  const realToFake = pairwiseDistances(real, fake); // [n, m]
  const realRadiiPr = kthSmallestPerRow(realToReal, n, n, prK, true);
  const realRadiiDc = kthSmallestPerRow(realToReal, n, n, dcK, true);
  const fakeRadiiPr = kthSmallestPerRow(fakeToFake, m, m, prK, true);

  let precise = 0;
  let dense = 0;
  const realCovered = new Uint8Array(n);
  for (let j = 0; j < m; j++) {
    let inside = false;
    for (let i = 0; i < n; i++) {
      const d = realToFake[i * m + j] as number;
      if (d <= (realRadiiPr[i] as number)) inside = true;
      if (d <= (realRadiiDc[i] as number)) {
        dense++;
        realCovered[i] = 1;
      }
    }
    if (inside) precise++;
  }
  let recalled = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < m; j++) {
      if ((realToFake[i * m + j] as number) <= (fakeRadiiPr[j] as number)) {
        recalled++;
        break;
      }
    }
  }
  const covered = realCovered.reduce((sum, flag) => sum + flag, 0);
  return {
    precision: precise / m,
    recall: recalled / n,
    density: dense / (dcK * m),
    coverage: covered / n,
  };
}
