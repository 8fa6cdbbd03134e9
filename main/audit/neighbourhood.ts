// The findings that come from where an item sits among the others, for images and texts alike:
// an embedding (PCA of the item's feature vector), a k-nearest-neighbour index over it, and from
// those the outliers (far from everything, or off the space the data spans) with a uniqueness
// score per item, and the likely label errors (a classifier trained in the ML worker plus the
// neighbours' votes). The image audit puts its near-duplicate search between the two steps.

import type { AuditNotice } from '../../preload/contract';
import { nearestNeighbours, type Neighbours } from './index/knn';
import { fitPca, project } from './index/pca';
import type { LabelClassifier } from './labels/classifier';
import { labelErrorFindings, type LabelEvidence } from './labels/labelErrors';
import { outlierFindings, outlierScores, type OutlierOptions } from './outliers';
import { AuditCancelled, type AuditItem, type DraftFinding, type WorkControl } from './types';

export interface Neighbourhood {
  /** [rows, embedDim]: the PCA projection, largest components first. */
  embedding: Float32Array;
  embedDim: number;
  /** Per row: the squared distance from the PCA subspace (what the components cannot explain). */
  residuals: Float32Array;
  /** Over the first `indexDim` embedding dimensions. */
  neighbours: Neighbours;
}

export interface NeighbourhoodOptions {
  /** Dimensions the classifier learns from. */
  embedDim: number;
  /** The leading dimensions the neighbour index uses. */
  indexDim: number;
  /** Neighbours per item: near-duplicate candidates, outlier distance, label votes. */
  neighbours: number;
}

/** `count` rows of `inputDim` values → embedding and neighbour index. */
export async function buildNeighbourhood(
  input: Float32Array,
  count: number,
  inputDim: number,
  options: NeighbourhoodOptions,
  control: WorkControl,
): Promise<Neighbourhood> {
  control.progress('index', 0, count);
  const pca = await fitPca(input, count, inputDim, Math.min(options.embedDim, inputDim), control);
  const { points: embedding, residuals } = project(pca, input, count);
  const embedDim = pca.outputDim;
  const indexDim = Math.min(options.indexDim, embedDim);
  const indexPoints = new Float32Array(count * indexDim);
  for (let r = 0; r < count; r++) {
    indexPoints.set(embedding.subarray(r * embedDim, r * embedDim + indexDim), r * indexDim);
  }
  const neighbours = await nearestNeighbours(
    indexPoints,
    count,
    indexDim,
    options.neighbours,
    control,
  );
  return { embedding, embedDim, residuals, neighbours };
}

export interface NeighbourhoodFindings {
  findings: DraftFinding[];
  /** Uniqueness (0–1) per item id of every row. */
  uniqueness: Map<number, number>;
  /** Out-of-fold agreement of the evidence with the given labels (0 when nothing was learned). */
  classifierAgreement: number;
  /** Why no label errors were looked for, when the classifier could not run. */
  labelErrorsSkipped?: string;
  /** Checks that could not be made on this data (labels the classifier cannot predict). */
  notices: AuditNotice[];
}

/** What a kind of data adds to the shared detectors. */
export interface NeighbourhoodExtras {
  /** Outlier thresholds for this kind of data. */
  outliers?: OutlierOptions;
  /** Per row: the images' tone outlyingness, added to the outlier score. */
  tone?: Float64Array;
  /** Per row: the images' edge outlyingness, added to the outlier score. */
  edge?: Float64Array;
  /** A second view for the label classifier (the texts' words). */
  labelEvidence?: LabelEvidence;
}

/** The classifier learns from a globally rescaled embedding (unit average variance). */
export function unitVariance(embedding: Float32Array): Float32Array {
  let sumSq = 0;
  for (let i = 0; i < embedding.length; i++) sumSq += (embedding[i] as number) ** 2;
  const scale = 1 / Math.sqrt(sumSq / embedding.length || 1);
  return embedding.map((v) => v * scale);
}

/** Outliers and likely label errors among `rows` (positions in `items`, one per embedding row). */
export async function neighbourhoodFindings(
  items: readonly AuditItem[],
  rows: readonly number[],
  hood: Neighbourhood,
  control: WorkControl,
  classifier: LabelClassifier,
  extras: NeighbourhoodExtras = {},
): Promise<NeighbourhoodFindings> {
  const { outliers, tone, edge, labelEvidence } = extras;
  const { embedding, embedDim, residuals, neighbours } = hood;
  const scores = outlierScores(neighbours, rows.length, residuals, outliers, tone, edge);
  const findings = outlierFindings(items, rows, scores, neighbours, outliers);
  const uniqueness = new Map<number, number>();
  rows.forEach((i, r) =>
    uniqueness.set(
      (items[i] as AuditItem).itemId,
      Math.round((scores.uniqueness[r] as number) * 1e4) / 1e4,
    ),
  );
  await control.checkpoint();

  const scaled = unitVariance(embedding);
  try {
    const labels = await labelErrorFindings(
      { items, rows, embedding: scaled, dim: embedDim, neighbours, evidence: labelEvidence },
      control,
      classifier,
    );
    findings.push(...labels.findings);
    return {
      findings,
      uniqueness,
      classifierAgreement: Math.round(labels.agreement * 1e4) / 1e4,
      notices: labels.notices,
    };
  } catch (error) {
    if (error instanceof AuditCancelled) throw error;
    // The classifier runs in the ML worker; if that cannot run (it failed to start, crashed),
    // the other findings still stand: the audit says why this one is missing instead of failing.
    const why = error instanceof Error ? error.message : String(error);
    return {
      findings,
      uniqueness,
      classifierAgreement: 0,
      labelErrorsSkipped: why,
      notices: [
        {
          check: 'label-error',
          message: `Labels could not be checked: the classifier could not run (${why}).`,
          evidence: {},
        },
      ],
    };
  }
}
