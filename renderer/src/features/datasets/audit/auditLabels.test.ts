import { describe, expect, it } from 'vitest';
import type { AuditFinding } from '../../../../../preload/contract';
import { groupFindings, suggestionsAbove, undersampleExclusions } from './auditLabels';

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
    confidence: { level: 'high', value: 1, why: '' },
  } satisfies AuditFinding;
}

describe('grouping findings', () => {
  it('keeps the order of the report and counts what one click can fix', () => {
    const groups = groupFindings([
      finding(1, 'exact-duplicate', 'keep-one'),
      finding(2, 'exact-duplicate', 'keep-one'),
      finding(3, 'outlier', 'review'),
      finding(4, 'outlier', 'exclude'),
      finding(5, 'class-imbalance', 'rebalance'),
    ]);
    expect(groups.map((g) => [g.type, g.findings.length, g.fixableCount])).toEqual([
      ['exact-duplicate', 2, 2],
      ['outlier', 2, 1],
      ['class-imbalance', 1, 1],
    ]);
  });
});

describe('accepting label suggestions above a score', () => {
  it('counts the open suggestions scored at least the threshold', () => {
    const scored = [0.95, 0.8, 0.6, 0.4].map((score, i) => ({
      ...finding(i + 1, 'label-error', 'relabel'),
      score,
    }));
    expect(suggestionsAbove(scored, 0.6, new Set()).map((f) => f.id)).toEqual([1, 2, 3]);
    expect(suggestionsAbove(scored, 0.6, new Map([[2, 5]])).map((f) => f.id)).toEqual([1, 3]);
    expect(suggestionsAbove(scored, 0.99, new Set())).toEqual([]);
  });
});

describe('undersampling', () => {
  it('excludes what each class has beyond the target', () => {
    const histogram = [
      { label: 'a', count: 100 },
      { label: 'b', count: 30 },
      { label: 'c', count: 10 },
    ];
    expect(undersampleExclusions(histogram, 30)).toBe(70);
    expect(undersampleExclusions(histogram, 100)).toBe(0);
  });
});
