import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../preload/contract';
import { qualitySummary, reportAsCsv } from './summary';
import type { DraftFinding } from './types';

const finding = (type: DraftFinding['type'], ids: number[], role = 'subject'): DraftFinding => ({
  type,
  detail: 'x',
  severity: 'high',
  score: 1,
  title: 't',
  action: 'exclude',
  members: ids.map((itemId) => ({ itemId, sourcePath: `/p/${itemId}`, role })),
  evidence: {},
});

describe('quality summary', () => {
  it('counts per type, distinct affected items, and costs a point per affected percent', () => {
    const summary = qualitySummary(
      [finding('blank', [1]), finding('label-error', [2]), finding('outlier', [3], 'neighbour')],
      100,
    );
    expect(summary.counts).toEqual({ blank: 1, 'label-error': 1, outlier: 1 });
    expect(summary.affectedItems).toBe(2);
    expect(summary.score).toBe(98);
    expect(qualitySummary([], 10).score).toBe(100);
  });

  it('costs a class imbalance points until class-balanced batches remedy it', () => {
    const imbalance = (severity: DraftFinding['severity']): DraftFinding => ({
      ...finding('class-imbalance', []),
      severity,
      action: severity === 'info' ? 'review' : 'rebalance',
    });
    expect(qualitySummary([imbalance('high')], 100).score).toBe(95);
    expect(qualitySummary([imbalance('info')], 100)).toMatchObject({
      counts: { 'class-imbalance': 1 },
      score: 100,
    });
  });

  it('writes CSV with quoting, one row per member', () => {
    const report: AuditReport = {
      summary: {} as AuditReport['summary'],
      findings: [
        {
          id: 7,
          type: 'label-error',
          detail: 'confident-learning',
          severity: 'medium',
          score: 0.9,
          title: 'a, "quoted" title',
          action: 'relabel',
          suggestedLabel: '7',
          members: [
            {
              itemId: 3,
              sourcePath: '/x/1.png',
              blobSha: null,
              label: '1',
              split: 'train',
              role: 'subject',
            },
          ],
          evidence: {},
        },
      ],
    };
    expect(reportAsCsv(report).split('\r\n')[1]).toBe(
      '7,label-error,confident-learning,medium,0.9,"a, ""quoted"" title",relabel,7,3,/x/1.png,1,train,subject',
    );
  });
});
