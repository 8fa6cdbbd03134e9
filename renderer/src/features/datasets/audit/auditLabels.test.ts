import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../../../../preload/contract';
import { groupFindings } from './auditLabels';

function finding(id: number, type: AuditFinding['type'], action: AuditFinding['action']) {
  return {
    id,
    type,
    action,
    detail: '',
    severity: 'low',
    score: 1,
    title: '',
    suggestedLabel: null,
    members: [],
    evidence: {},
  } satisfies AuditFinding;
}

describe('grouping findings', () => {
  it('keeps the order of the report and counts what one click can fix', () => {
    const groups = groupFindings([
      finding(1, 'exact-duplicate', 'keep-one'),
      finding(2, 'exact-duplicate', 'keep-one'),
      finding(3, 'outlier', 'review'),
      finding(4, 'outlier', 'exclude'),
    ]);
    expect(groups.map((g) => [g.type, g.findings.length, g.fixableCount])).toEqual([
      ['exact-duplicate', 2, 2],
      ['outlier', 2, 1],
    ]);
  });
});
