import { describe, expect, it } from 'vitest';
import type { AuditSummary, VersionQuality } from '../../../../../preload/contract';
import { compareQuality, formatChange } from './qualityComparison';

function audited(
  versionNumber: number,
  score: number | null,
  counts: AuditSummary['counts'],
): VersionQuality {
  return {
    versionId: versionNumber * 10,
    versionNumber,
    note: `v${versionNumber}`,
    summary: {
      auditId: versionNumber * 100,
      datasetId: 1,
      versionId: versionNumber * 10,
      status: 'completed',
      message: null,
      startedAt: '',
      finishedAt: '',
      itemCount: 10,
      computedCount: 10,
      score,
      counts,
      affectedItems: 0,
      durationMs: 1,
      syntheticCount: 0,
      syntheticPerClass: [],
    },
  };
}

describe('comparing quality across versions', () => {
  it('lists the types any version has, in the tab order, with the change from the previous one', () => {
    const table = compareQuality([
      audited(1, 90, { 'label-error': 2, 'exact-duplicate': 1 }),
      audited(3, 97, { 'label-error': 1 }),
      audited(4, 97, { 'label-error': 1, outlier: 2 }),
    ]);
    expect(table.types).toEqual(['exact-duplicate', 'outlier', 'label-error']);
    const [first, second, third] = table.rows;
    expect(first?.counts['exact-duplicate']).toEqual({ value: 1, change: null });
    expect(first?.score).toEqual({ value: 90, change: null });
    expect(second?.counts['exact-duplicate']).toEqual({ value: 0, change: -1 });
    expect(second?.counts['label-error']).toEqual({ value: 1, change: -1 });
    expect(second?.total).toEqual({ value: 1, change: -2 });
    expect(second?.score).toEqual({ value: 97, change: 7 });
    expect(third?.counts.outlier).toEqual({ value: 2, change: 2 });
    expect(third?.score?.change).toBe(0);
  });

  it('is empty without audits, and reads changes with their sign', () => {
    expect(compareQuality([])).toEqual({ types: [], rows: [] });
    expect([formatChange(3), formatChange(-2), formatChange(0)]).toEqual(['+3', '−2', '±0']);
  });
});
