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

/** 'review' and 'rebalance' need a person's judgement: they have no one-click fix. */
export function isFixable(finding: Pick<AuditFinding, 'action'>): boolean {
  return finding.action !== 'review' && finding.action !== 'rebalance';
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
