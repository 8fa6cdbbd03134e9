import {
  exactDuplicateFindings,
  exactDuplicateGroups,
  groupMembers,
  labelsOf,
  type DuplicateGroup,
} from '../duplicates/groups';
import { findImageNearDuplicates } from '../duplicates/imageNearDuplicates';
import { nearestNeighbours } from '../index/knn';
import { fitPca, project } from '../index/pca';
import type { LabelClassifier } from '../labels/classifier';
import { labelErrorFindings } from '../labels/labelErrors';
import { leakageFindings } from '../leakage';
import { outlierFindings, outlierScores } from '../outliers';
import { type AuditItem, type DraftFinding, type WorkControl } from '../types';
import { COARSE_SIDE, COLOUR_SIDE, type ImageFeatures } from './imageFeatures';
import { blankFinding, blankVerdict, undecodableFinding } from './imageQuality';

/** Neighbours per image in the index: candidates for near-duplicates, outlier distance, votes. */
const NEIGHBOURS = 10;
/** Dimensions of the embedding the classifier learns from; the index uses the first INDEX_DIM. */
const EMBED_DIM = 48;
const INDEX_DIM = 32;

export interface ImageAuditResult {
  findings: DraftFinding[];
  /** Uniqueness (0–1) per item id, for every image that took part in the neighbour index. */
  uniqueness: Map<number, number>;
  stats: Record<string, unknown>;
}

/**
 * Every image detector over one version: corrupt and blank first (they take no further part),
 * then exact duplicates, then one neighbour index over one image per exact group, shared by
 * near-duplicates, outliers and label errors.
 */
export async function auditImages(
  items: readonly AuditItem[],
  features: readonly ImageFeatures[],
  control: WorkControl,
  classifier: LabelClassifier,
): Promise<ImageAuditResult> {
  const findings: DraftFinding[] = [];
  const usable: number[] = [];
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (phase: string): void => {
    const now = Date.now();
    timings[phase] = now - mark;
    mark = now;
  };
  items.forEach((item, i) => {
    const f = features[i] as ImageFeatures;
    if (!f.ok) {
      findings.push(undecodableFinding(item, f.error ?? 'cannot be decoded'));
      return;
    }
    const blank = blankFinding(item, f, blankVerdict(f));
    if (blank) findings.push(blank);
    else usable.push(i);
  });

  // Exact duplicates among the usable images (a hundred black squares are "blank", not copies).
  const usableItems = usable.map((i) => items[i] as AuditItem);
  const exactLocal = exactDuplicateGroups(
    usableItems,
    (p) => `d:${(features[usable[p] as number] as ImageFeatures).decodedSha}`,
  );
  const exact: DuplicateGroup[] = exactLocal.map((g) => ({
    members: g.members.map((p) => usable[p] as number),
    keep: usable[g.keep] as number,
  }));
  findings.push(...exactDuplicateFindings(items, exact, 'image'));
  const copies = new Set(exact.flatMap((g) => g.members.filter((p) => p !== g.keep)));
  const rows = usable.filter((i) => !copies.has(i));
  await control.checkpoint();

  // The embedding: registered grey structure, plus coarse colour when the dataset has colour.
  const colour = rows.some((i) => (features[i] as ImageFeatures).chroma > 8);
  const inputDim = COARSE_SIDE * COARSE_SIDE + (colour ? COLOUR_SIDE * COLOUR_SIDE * 3 : 0);
  const input = new Float32Array(rows.length * inputDim);
  rows.forEach((i, r) => {
    const f = features[i] as ImageFeatures;
    input.set(f.coarse, r * inputDim);
    // Colour in 0–1 is on a larger scale than the unit-length grey vector's entries: shrink it
    // so colour refines, but does not dominate, the neighbourhoods.
    if (colour)
      for (let c = 0; c < f.colour.length; c++)
        input[r * inputDim + f.coarse.length + c] = (f.colour[c] as number) * 0.1;
  });
  const stats: Record<string, unknown> = { images: items.length, indexed: rows.length };
  if (rows.length < 3) return { findings, uniqueness: new Map(), stats };

  control.progress('index', 0, rows.length);
  const pca = await fitPca(input, rows.length, inputDim, Math.min(EMBED_DIM, inputDim), control);
  const { points: embedding, residuals } = project(pca, input, rows.length);
  const embedDim = pca.outputDim;
  const indexDim = Math.min(INDEX_DIM, embedDim);
  const indexPoints = new Float32Array(rows.length * indexDim);
  for (let r = 0; r < rows.length; r++) {
    indexPoints.set(embedding.subarray(r * embedDim, r * embedDim + indexDim), r * indexDim);
  }
  lap('embeddingMs');
  const neighbours = await nearestNeighbours(
    indexPoints,
    rows.length,
    indexDim,
    NEIGHBOURS,
    control,
  );
  lap('neighboursMs');

  control.progress('near-duplicates', 0, rows.length);
  const near = await findImageNearDuplicates(
    rows,
    (i) => features[i] as ImageFeatures,
    neighbours,
    control,
  );
  for (const group of near.groups) {
    const labels = labelsOf(items, group.members);
    const conflicting = labels.length > 1;
    findings.push({
      type: 'near-duplicate',
      detail: conflicting ? 'conflicting-labels' : 'similar',
      severity: conflicting ? 'high' : 'medium',
      score: group.weakest,
      title:
        `${group.members.length} near-identical images (similarity ≥ ${group.weakest.toFixed(3)})` +
        (conflicting ? `, labeled differently (${labels.map(String).join(', ')})` : ''),
      action: 'keep-one',
      members: groupMembers(items, group),
      evidence: {
        size: group.members.length,
        pairs: group.edges.map((e) => ({
          a: (items[e.a] as AuditItem).itemId,
          b: (items[e.b] as AuditItem).itemId,
          similarity: e.similarity,
        })),
        labels,
      },
    });
  }
  // Leakage: an exact or near group that spans the split. Exact copies of a near group's member
  // count as members of that group too.
  const exactByKeep = new Map(exact.map((g) => [g.keep, g]));
  const expand = (members: number[]): number[] =>
    members.flatMap((m) => exactByKeep.get(m)?.members ?? [m]);
  findings.push(
    ...leakageFindings(items, [
      ...exact
        .filter((g) => !near.groups.some((n) => n.members.includes(g.keep)))
        .map((group) => ({ group, kind: 'exact' as const, similarity: 1 })),
      ...near.groups.map((g) => ({
        group: { members: expand(g.members), keep: g.keep },
        kind: 'near' as const,
        similarity: g.weakest,
      })),
    ]),
  );
  await control.checkpoint();

  lap('nearDuplicatesMs');
  const scores = outlierScores(neighbours, rows.length, residuals);
  findings.push(...outlierFindings(items, rows, scores, neighbours));
  const uniqueness = new Map<number, number>();
  rows.forEach((i, r) =>
    uniqueness.set(
      (items[i] as AuditItem).itemId,
      Math.round((scores.uniqueness[r] as number) * 1e4) / 1e4,
    ),
  );

  // The classifier learns from a globally rescaled embedding (unit average variance).
  let sumSq = 0;
  for (let i = 0; i < embedding.length; i++) sumSq += (embedding[i] as number) ** 2;
  const scale = 1 / Math.sqrt(sumSq / embedding.length || 1);
  const scaled = embedding.map((v) => v * scale);
  const labels = await labelErrorFindings(
    { items, rows, embedding: scaled, dim: embedDim, neighbours },
    control,
    classifier,
  );
  findings.push(...labels.findings);
  lap('labelErrorsMs');
  stats.timings = timings;
  stats.nearDuplicateGroups = near.groups.length;
  stats.classifierAgreement = Math.round(labels.agreement * 1e4) / 1e4;
  return { findings, uniqueness, stats };
}
