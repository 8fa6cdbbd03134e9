import { exactDuplicateFindings, groupMembers, labelsOf } from '../duplicates/groups';
import type { LabelClassifier } from '../labels/classifier';
import type { LabelEvidence } from '../labels/labelErrors';
import { outOfFoldSparseLogistic } from '../labels/sparseLogistic';
import { leakageFindings } from '../leakage';
import { buildNeighbourhood, neighbourhoodFindings } from '../neighbourhood';
import type { AuditItem, DraftFinding, WorkControl } from '../types';
import {
  boilerplateFindings,
  charsetFindings,
  lengthFindings,
  textDuplicateGroups,
  textQualityFindings,
} from './textDetectors';
import { encodedGarbageFindings } from './garbageDetectors';
import { mashFindings } from './keyboardMash';
import { PROFILE_DIM, type TextFeatures } from './textFeatures';
import { tfidfRows } from './wordFeatures';

/** Neighbours per text in the index (outlier distance, label votes). */
const NEIGHBOURS = 10;
const EMBED_DIM = 32;
const INDEX_DIM = 24;
/** Fewer texts than this and "unlike the others" means little. */
const MIN_FOR_NEIGHBOURHOOD = 20;

export interface TextAuditResult {
  findings: DraftFinding[];
  /** Uniqueness (0–1) per item id, for every text that took part in the neighbour index. */
  uniqueness: Map<number, number>;
  stats: Record<string, unknown>;
}

/**
 * Every text detector over one version: quality, duplicates and leakage, length, boilerplate and
 * character-set outliers, then (over the texts' character profiles) outliers with a uniqueness
 * score and, for labeled texts, likely label errors.
 */
export async function auditTexts(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
  control: WorkControl,
  classifier: LabelClassifier,
): Promise<TextAuditResult> {
  const findings: DraftFinding[] = [...textQualityFindings(items, features)];
  const corrupt = new Set(
    findings.filter((f) => f.type === 'corrupt').flatMap((f) => f.members.map((m) => m.itemId)),
  );
  const usable = items.map((_, i) => i).filter((i) => !corrupt.has((items[i] as AuditItem).itemId));
  const usableItems = usable.map((i) => items[i] as AuditItem);
  const usableFeatures = usable.map((i) => features[i] as TextFeatures);
  await control.checkpoint();

  const groups = textDuplicateGroups(usableItems, usableFeatures);
  findings.push(...exactDuplicateFindings(usableItems, groups.exact, 'text'));
  for (const g of groups.near) {
    const labels = labelsOf(usableItems, g.members);
    findings.push({
      type: 'near-duplicate',
      detail: g.detail,
      severity: labels.length > 1 ? 'high' : 'medium',
      score: Math.round(g.similarity * 1e4) / 1e4,
      title:
        g.detail === 'case-punctuation-whitespace'
          ? `${g.members.length} texts differ only in case, punctuation or spacing`
          : `${g.members.length} texts are nearly the same (similarity ${g.similarity.toFixed(2)})`,
      action: 'keep-one',
      members: groupMembers(usableItems, g),
      evidence: { size: g.members.length, similarity: g.similarity, labels },
    });
  }
  findings.push(
    ...leakageFindings(usableItems, [
      ...groups.exact.map((group) => ({ group, kind: 'exact' as const, similarity: 1 })),
      ...groups.near.map((group) => ({
        group,
        kind: 'near' as const,
        similarity: group.similarity,
      })),
    ]),
  );
  await control.checkpoint();
  findings.push(...lengthFindings(usableItems, usableFeatures));
  findings.push(...boilerplateFindings(usableItems, usableFeatures));
  findings.push(...charsetFindings(usableItems, usableFeatures));
  // Garbage that is valid UTF-8: encoded blobs and mixed-alphabet mojibake per text, then keyboard
  // mash against the corpus's own character model (the others left out of that model's verdict).
  const garbage = encodedGarbageFindings(
    usableItems,
    usableFeatures.map((f) => (f.mojibake > 0 ? undefined : f.garbage)),
  );
  findings.push(...garbage);
  const isGarbage = new Set(garbage.flatMap((f) => f.members.map((m) => m.itemId)));
  const notGarbage = usable
    .map((_, p) => p)
    .filter((p) => !isGarbage.has(usableItems[p]?.itemId ?? -1));
  findings.push(
    ...mashFindings(
      notGarbage.map((p) => usableItems[p] as AuditItem),
      notGarbage.map((p) => usableFeatures[p] as TextFeatures),
    ),
  );
  const stats: Record<string, unknown> = {
    texts: items.length,
    exactGroups: groups.exact.length,
    nearGroups: groups.near.length,
  };

  // One text per exact group takes part: a hundred copies of a line are not a neighbourhood.
  const copies = new Set(groups.exact.flatMap((g) => g.members.filter((p) => p !== g.keep)));
  const rows = usableItems.map((_, p) => p).filter((p) => !copies.has(p));
  if (rows.length < MIN_FOR_NEIGHBOURHOOD) return { findings, uniqueness: new Map(), stats };
  const input = new Float32Array(rows.length * PROFILE_DIM);
  rows.forEach((p, r) => input.set((usableFeatures[p] as TextFeatures).profile, r * PROFILE_DIM));
  const hood = await buildNeighbourhood(
    input,
    rows.length,
    PROFILE_DIM,
    { embedDim: EMBED_DIM, indexDim: INDEX_DIM, neighbours: NEIGHBOURS },
    control,
  );
  // Words, beside the character profile: what a text is about (its topic folder) is in them.
  // Timed, because the word model is the text audit's largest cost and grows with the texts.
  const timings: Record<string, number> = {};
  const labelEvidence: LabelEvidence = async (learnRows, labels, classes, work) => {
    const started = Date.now();
    const words = tfidfRows(
      learnRows.map((r) => (usableFeatures[rows[r] as number] as TextFeatures).looseHead),
    );
    timings.wordFeaturesMs = Date.now() - started;
    const probabilities = await outOfFoldSparseLogistic(
      words.rows,
      words.columns,
      labels,
      classes,
      work,
    );
    timings.wordModelMs = Date.now() - started - timings.wordFeaturesMs;
    return probabilities;
  };
  const around = await neighbourhoodFindings(usableItems, rows, hood, control, classifier, {
    labelEvidence,
  });
  findings.push(...around.findings);
  stats.timings = timings;
  stats.classifierAgreement = around.classifierAgreement;
  if (around.labelErrorsSkipped !== undefined) stats.labelErrorsSkipped = around.labelErrorsSkipped;
  stats.notices = around.notices;
  return { findings, uniqueness: around.uniqueness, stats };
}
