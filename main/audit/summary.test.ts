import { describe, expect, it } from 'vitest';
import type { AuditReport } from '../../preload/contract';
import { csvField, qualitySummary, reportAsCsv } from './summary';
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

  it('does not lower the score for a finding the audit does not trust', () => {
    const unsure: DraftFinding = {
      ...finding('label-error', [1, 2, 3]),
      evidence: { confidence: { level: 'low', value: 0.2, why: 'the classifier is weak here' } },
    };
    const sure: DraftFinding = {
      ...finding('label-error', [4]),
      evidence: { confidence: { level: 'high', value: 0.9, why: 'the classifier is good here' } },
    };
    expect(qualitySummary([unsure], 100)).toMatchObject({
      score: 100,
      counts: { 'label-error': 1 },
    });
    expect(qualitySummary([unsure, sure], 100).score).toBe(99);
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
              synthetic: true,
              role: 'subject',
            },
          ],
          evidence: {},
          confidence: { level: 'high', value: 0.87, why: 'right for 96% of "7", chance 11%' },
        },
      ],
    };
    const [header, row] = reportAsCsv(report).split('\r\n');
    expect(header).toContain('suggested_label,confidence,confidence_level,confidence_why,item_id');
    expect(row).toBe(
      '7,label-error,confident-learning,medium,0.9,"a, ""quoted"" title",relabel,7,0.87,high,"right for 96% of ""7"", chance 11%",3,/x/1.png,1,train,subject,yes',
    );
  });

  it('keeps text that a spreadsheet would run as a formula as text (OWASP CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+cmd|calc')).toBe("'+1+cmd|calc");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('\r=1')).toBe(`"'\r=1"`);
    expect(csvField('cat=dog')).toBe('cat=dog');
    expect(csvField(-0.5)).toBe('-0.5');
  });

  it('escapes a dropped file named like a formula in the exported CSV', () => {
    const report: AuditReport = {
      summary: {} as AuditReport['summary'],
      findings: [
        {
          id: 1,
          type: 'outlier',
          detail: 'far',
          severity: 'low',
          score: 0.2,
          title: 'An outlier',
          action: 'review',
          suggestedLabel: null,
          members: [
            {
              itemId: 4,
              sourcePath: "=cmd|' /C calc'!A0.png",
              blobSha: null,
              label: '@evil',
              split: 'train',
              synthetic: false,
              role: 'subject',
            },
          ],
          evidence: {},
          confidence: { level: 'low', value: 0.3, why: 'test' },
        },
      ],
    };
    expect(reportAsCsv(report).split('\r\n')[1]).toBe(
      "1,outlier,far,low,0.2,An outlier,review,,0.3,low,test,4,'=cmd|' /C calc'!A0.png,'@evil,train,subject,",
    );
  });
});
