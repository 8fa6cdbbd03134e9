import type { DuplicateGroup } from './duplicates/groups';
import { member, type AuditItem, type DraftFinding } from './types';

/**
 * Leakage: copies (exact or near) on both sides of the train/validation split. Validation loss
 * then measures memory, not generalisation. The fix excludes the validation copies ('leak').
 */
export function leakageFindings(
  items: readonly AuditItem[],
  groups: readonly { group: DuplicateGroup; kind: 'exact' | 'near'; similarity: number }[],
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  for (const { group, kind, similarity } of groups) {
    const train = group.members.filter((p) => (items[p] as AuditItem).split === 'train');
    const validation = group.members.filter((p) => (items[p] as AuditItem).split === 'validation');
    if (train.length === 0 || validation.length === 0) continue;
    findings.push({
      type: 'leakage',
      detail: kind === 'exact' ? 'exact-copy' : 'near-copy',
      severity: 'high',
      score: similarity,
      title: `${validation.length} validation item${validation.length === 1 ? ' is' : 's are'} ${kind === 'exact' ? 'an exact' : 'a near'} copy of ${train.length === 1 ? 'a training item' : `${train.length} training items`}`,
      action: 'exclude',
      members: [
        ...train.map((p) => member(items[p] as AuditItem, 'source')),
        ...validation.map((p) => member(items[p] as AuditItem, 'leak')),
      ],
      evidence: { kind, similarity, train: train.length, validation: validation.length },
    });
  }
  return findings;
}
