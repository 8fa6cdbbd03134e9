import type { Neighbours } from './index/knn';
import { member, round, type AuditItem, type DraftFinding } from './types';

export interface OutlierOptions {
  /** Robust z-score of log kNN distance at which an item is an outlier... */
  neighbourZ: number;
  /**
   * ...or of log reconstruction error. Lower, because it is the sharper signal: on MNIST no
   * ordinary digit reached 3 while inverted digits scored 3–4.4; odd but real handwriting
   * reaches 4 in kNN distance.
   */
  reconstructionZ: number;
  /**
   * ...or of tone outlyingness (robust Mahalanobis distance of brightness, contrast, ink
   * coverage, grey levels and the like, in multiples of the median item's; images only): what
   * the unit-length embedding cannot see. High, because digits vary a lot in tone: at 10,000
   * MNIST digits one ordinary digit reached 12.3, drawn shapes 12.3–16, inverted digits 23–48;
   * at 12, 9 of 1,500 clean digits of another draw were flagged, at 14 none (4 shapes missed).
   */
  toneZ: number;
  /**
   * ...or of edge outlyingness (robust Mahalanobis distance of the edge-sharpness profile, in
   * multiples of the median item's; images only): how the picture was made (a crisp vector
   * glyph, a soft scan, a shaded render), which neither the embedding nor the tone sees.
   * Measured: on the icon-outliers fixture glyphs reached 4.8 and the foreign digits and shaded
   * icons 7.6–24 (14 of 16 at 10); clean digits of four other draws (no-defects, random-labels,
   * faint-glyphs, near copies) reached 7.5, the digit fixture's clean and near-copied digits 7.3.
   */
  edgeZ: number;
  /** Never flag more than this share of the items: a dataset is not mostly outliers. */
  maxShare: number;
}

/*
 * Scored against the whole dataset, not within each item's folder. A folder-conditional score
 * was measured and left out: k-NN distance within the folder (embedding, k = 5, centred on the
 * folder's median, pooled spread) at z ≥ 4 found 1 of the icon-outliers fixture's 16 foreign
 * images, and flagged 26 of 1,853 digits (6 of them mislabeled: far from their folder is what a
 * label error is) and 6 of 1,000 clean digits; the same in tone space found 4 of 16 icons at 45
 * false alarms on the clean digits. The foreign images there are not hidden by each other (their
 * global k-NN z is 0–1.2 at k = 10): the shape embedding and the tone statistics do
 * not set a handwritten digit apart from a glyph (AUC about 0.7 and 0.93).
 */
export const OUTLIER_DEFAULTS: OutlierOptions = {
  neighbourZ: 4,
  reconstructionZ: 3,
  toneZ: 14,
  edgeZ: 10,
  maxShare: 0.02,
};

export interface OutlierScores {
  /** Mean distance to the k nearest neighbours, per row. */
  knnDistance: Float64Array;
  /** 0–1 per row: the rank of its kNN distance in the dataset (FiftyOne's "uniqueness"). */
  uniqueness: Float64Array;
  /** Robust z-score of log kNN distance per row. */
  knnZ: Float64Array;
  /** Robust z-score of log reconstruction error per row (0 when not given). */
  residualZ: Float64Array;
  /** Tone outlyingness per row (0 when not given). */
  toneZ: Float64Array;
  /** Edge outlyingness per row (0 when not given). */
  edgeZ: Float64Array;
  /**
   * The largest of each score over its option (knnZ / neighbourZ, residualZ / reconstructionZ),
   * with tone and edge taken together (see TONE_AND_EDGE): 1 or more is an outlier.
   */
  z: Float64Array;
}

/*
 * TONE_AND_EDGE: the tone and the edge outlyingness are distances in two unrelated descriptions
 * of how a picture was made (its grey levels; the sharpness of its edges), so they are combined
 * as one distance over both, each in units of its own threshold: √((tone/toneZ)² +
 * (edge/edgeZ)²). Alone, an item odd in both but short of either threshold passed: at 2,000
 * digits two of the three drawn shapes (tone 0.94 and 0.97 of its threshold, edge 0.74 and 0.45)
 * and two of the icon fixture's sixteen shaded icons. Together the shapes reach 1.07–1.48 and
 * every foreign icon 0.99–2.45, while the clean digits of five fixtures stay at or below 0.89
 * (faint-glyphs, random-labels, no-defects, near copies, the digits' own). The neighbour and
 * reconstruction scores are not folded in: both read the one embedding, so their sum would
 * count one oddity twice (clean digits then reached 1.15).
 */

/** Robust z-scores of the logs: (log v − median) / (1.4826 × MAD). */
export function robustLogZ(values: ArrayLike<number>): Float64Array {
  const logs = Array.from(values, (d) => Math.log(d + 1e-6));
  const sorted = [...logs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const deviations = logs.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
  // 1.4826 × MAD estimates the standard deviation of a normal distribution, robustly.
  const spread = 1.4826 * (deviations[Math.floor(deviations.length / 2)] ?? 0) || 1e-6;
  return Float64Array.from(logs, (v) => (v - median) / spread);
}

/**
 * How far each item is from its nearest neighbours (raw distance, rank, robust z-score), and how
 * far from the space the data spans (PCA reconstruction error). The second catches what the
 * first cannot: a handful of odd items that are each other's neighbours (fifteen inverted
 * digits are a small crowd of their own, but none of them looks like the data).
 */
export function outlierScores(
  neighbours: Neighbours,
  count: number,
  residuals?: Float32Array,
  options: OutlierOptions = OUTLIER_DEFAULTS,
  tone?: Float64Array,
  edge?: Float64Array,
): OutlierScores {
  const knnDistance = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    let n = 0;
    for (let t = 0; t < neighbours.k; t++) {
      const d = neighbours.distance[i * neighbours.k + t] as number;
      if (!Number.isFinite(d)) continue;
      sum += Math.sqrt(d);
      n++;
    }
    knnDistance[i] = n > 0 ? sum / n : 0;
  }
  const knnZ = robustLogZ(knnDistance);
  const residualZ = residuals ? robustLogZ(residuals) : new Float64Array(count);
  const toneZ = tone ?? new Float64Array(count);
  const edgeZ = edge ?? new Float64Array(count);
  const z = knnZ.map((v, i) =>
    Math.max(
      v / options.neighbourZ,
      (residualZ[i] as number) / options.reconstructionZ,
      Math.hypot(
        Math.max(0, toneZ[i] as number) / options.toneZ,
        Math.max(0, edgeZ[i] as number) / options.edgeZ,
      ),
    ),
  );
  const order = Array.from(knnDistance.keys()).sort(
    (a, b) => (knnDistance[a] as number) - (knnDistance[b] as number),
  );
  const uniqueness = new Float64Array(count);
  order.forEach((row, rank) => {
    uniqueness[row] = count > 1 ? rank / (count - 1) : 0;
  });
  return { knnDistance, uniqueness, knnZ, residualZ, toneZ, edgeZ, z };
}

/** Items far from everything else, with their nearest neighbours as evidence. */
export function outlierFindings(
  items: readonly AuditItem[],
  rows: readonly number[],
  scores: OutlierScores,
  neighbours: Neighbours,
  options: OutlierOptions = OUTLIER_DEFAULTS,
): DraftFinding[] {
  const flagged = rows
    .map((position, row) => ({ position, row, z: scores.z[row] as number }))
    .filter((r) => r.z >= 1)
    .sort((a, b) => b.z - a.z)
    .slice(0, Math.max(1, Math.floor(options.maxShare * rows.length)));
  return flagged.map(({ position, row, z }) => {
    const item = items[position] as AuditItem;
    const nearest: number[] = [];
    for (let t = 0; t < Math.min(3, neighbours.k); t++) {
      const j = neighbours.index[row * neighbours.k + t] as number;
      if (j >= 0) nearest.push(rows[j] as number);
    }
    return {
      type: 'outlier',
      detail: 'far-from-others',
      severity: z >= 2 ? 'medium' : 'low',
      // At the threshold 0.5, at twice it 0.67: monotone and bounded.
      score: round(1 - 1 / (1 + z)),
      title: `${item.sourcePath} looks unlike the rest of the dataset`,
      action: 'exclude',
      members: [
        member(item, 'subject'),
        ...nearest.map((p) => member(items[p] as AuditItem, 'neighbour')),
      ],
      evidence: {
        knnDistance: round(scores.knnDistance[row] as number),
        outlyingness: round(z, 2),
        neighbourZ: round(scores.knnZ[row] as number, 2),
        reconstructionZ: round(scores.residualZ[row] as number, 2),
        toneZ: round(scores.toneZ[row] as number, 2),
        edgeZ: round(scores.edgeZ[row] as number, 2),
        uniqueness: round(scores.uniqueness[row] as number),
        nearestItemIds: nearest.map((p) => (items[p] as AuditItem).itemId),
      },
    };
  });
}
