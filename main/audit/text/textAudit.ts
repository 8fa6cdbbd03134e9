import { exactDuplicateFindings, groupMembers, labelsOf } from '../duplicates/groups';
import { leakageFindings } from '../leakage';
import type { AuditItem, DraftFinding, WorkControl } from '../types';
import {
  boilerplateFindings,
  charsetFindings,
  lengthFindings,
  textDuplicateGroups,
  textQualityFindings,
} from './textDetectors';
import type { TextFeatures } from './textFeatures';

/**
 * Every text detector over one version. Label errors and embedding outliers are image-only for
 * now: a text classifier needs the tokenizer the training engine is still settling.
 */
export async function auditTexts(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
  control: WorkControl,
): Promise<{ findings: DraftFinding[]; stats: Record<string, unknown> }> {
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
  return {
    findings,
    stats: {
      texts: items.length,
      exactGroups: groups.exact.length,
      nearGroups: groups.near.length,
    },
  };
}
