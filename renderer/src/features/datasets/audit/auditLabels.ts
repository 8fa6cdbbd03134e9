import type { AuditFinding, AuditFindingType } from '../../../../../preload/contract';

export const FINDING_TYPE_NAMES: Record<AuditFindingType, string> = {
  'exact-duplicate': 'Exact duplicates',
  'near-duplicate': 'Near-duplicates',
  corrupt: 'Corrupt or unusable',
  blank: 'Blank or low-information',
  outlier: 'Outliers',
  'class-imbalance': 'Class imbalance',
  missing: 'Missing',
  'label-error': 'Likely label errors',
  leakage: 'Train/validation leakage',
  'text-length': 'Text length outliers',
  'text-boilerplate': 'Boilerplate',
  'text-charset': 'Character set problems',
};

/** 'review' needs a person's judgement: it has no one-click fix. */
export function isFixable(finding: Pick<AuditFinding, 'action'>): boolean {
  return finding.action !== 'review';
}

/** Label suggestions scored at least `minScore` that are still open (not fixed since the audit). */
export function suggestionsAbove(
  findings: readonly AuditFinding[],
  minScore: number,
  fixed: ReadonlySet<number> | ReadonlyMap<number, unknown>,
): AuditFinding[] {
  return findings.filter((f) => f.action === 'relabel' && f.score >= minScore && !fixed.has(f.id));
}

/** Items an undersampling to `target` per class would exclude, from a class histogram. */
export function undersampleExclusions(
  histogram: readonly { label: string; count: number }[],
  target: number,
): number {
  return histogram.reduce((sum, c) => sum + Math.max(0, c.count - target), 0);
}

export interface FindingGroup {
  type: AuditFindingType;
  findings: AuditFinding[];
  fixableCount: number;
}

/** Findings by type, in the order the core listed them (by type, then highest score first). */
export function groupFindings(findings: readonly AuditFinding[]): FindingGroup[] {
  const groups = new Map<AuditFindingType, FindingGroup>();
  for (const finding of findings) {
    const group = groups.get(finding.type) ?? { type: finding.type, findings: [], fixableCount: 0 };
    group.findings.push(finding);
    if (isFixable(finding)) group.fixableCount += 1;
    groups.set(finding.type, group);
  }
  return [...groups.values()];
}
