// Whether generated samples lie where the data lies (fidelity) and cover all of it (diversity),
// judged by k-nearest-neighbour balls around each point instead of one Gaussian:
// - precision and recall (Kynkäänniemi et al. 2019, k = 3): the share of samples inside the
//   data's manifold (the union of each real point's ball reaching its k-th real neighbour), and
//   the share of real points inside the samples' manifold;
// - density and coverage (Naeem et al. 2020, k = 5): how many real balls hold each sample, on
//   average over k (1 when samples are spread like the data; robust to a few real outliers), and
//   the share of real points whose ball holds at least one sample.
// All four are higher-is-better; precision, recall and coverage lie in [0, 1].

import {
  distancesFromRow,
  kthNeighbourRadii,
  kthSmallest,
  sameDimension,
  type FeatureRows,
} from './features';

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

/**
 * `real` is the data (validation items), `fake` the generated samples. Exact (brute force), a real
 * row at a time: O((n + m)·n·D) time and O(n + m) memory.
 */
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
  const realRadiiPr = new Float64Array(n);
  const realRadiiDc = new Float64Array(n);
  const realRow = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    distancesFromRow(real, i, real, realRow);
    realRadiiPr[i] = kthSmallest(realRow, prK, i);
    realRadiiDc[i] = kthSmallest(realRow, dcK, i);
  }
  const fakeRadiiPr = kthNeighbourRadii(fake, prK);

  const fakeInside = new Uint8Array(m);
  let dense = 0;
  let covered = 0;
  let recalled = 0;
  const toFakes = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    distancesFromRow(real, i, fake, toFakes);
    const radiusPr = realRadiiPr[i] as number;
    const radiusDc = realRadiiDc[i] as number;
    let coveredHere = false;
    let recalledHere = false;
    for (let j = 0; j < m; j++) {
      const d = toFakes[j] as number;
      if (d <= radiusPr) fakeInside[j] = 1;
      if (d <= radiusDc) {
        dense++;
        coveredHere = true;
      }
      if (d <= (fakeRadiiPr[j] as number)) recalledHere = true;
    }
    if (coveredHere) covered++;
    if (recalledHere) recalled++;
  }
  const precise = fakeInside.reduce((sum, flag) => sum + flag, 0);
  return {
    precision: precise / m,
    recall: recalled / n,
    density: dense / (dcK * m),
    coverage: covered / n,
  };
}
