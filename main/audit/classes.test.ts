import { describe, expect, it } from 'vitest';
import { auditItem } from './testing/auditKit';
import { imbalanceFindings, missingFindings } from './classes';
import { outlierFindings, outlierScores } from './outliers';
import type { Neighbours } from './index/knn';

const labeled = (counts: Record<string, number>): ReturnType<typeof auditItem>[] => {
  const items = [];
  let id = 1;
  for (const [label, n] of Object.entries(counts))
    for (let i = 0; i < n; i++) items.push(auditItem(id++, { label }));
  return items;
};

describe('class imbalance', () => {
  it('reports the ratio and each class too small to learn, with a remedy', () => {
    const findings = imbalanceFindings(labeled({ a: 300, b: 280, c: 8 }));
    expect(findings.map((f) => [f.detail, f.suggestedLabel ?? null])).toEqual([
      ['ratio', null],
      ['small-class', 'c'],
    ]);
    expect(findings[1]?.members).toHaveLength(8);
    expect(String(findings[1]?.evidence.remedy)).toMatch(/Collect more/);
  });

  it('says an imbalance the version remedies with class-balanced batches as information only', () => {
    const findings = imbalanceFindings(labeled({ a: 300, b: 40 }), { balancedBatches: true });
    expect(findings.map((f) => [f.detail, f.severity, f.action])).toEqual([
      ['ratio', 'info', 'review'],
    ]);
    expect(findings[0]?.title).toMatch(/training batches draw every class equally often$/);
    const unbalanced = imbalanceFindings(labeled({ a: 300, b: 40 }));
    expect(unbalanced.map((f) => [f.severity, f.action])).toEqual([['medium', 'rebalance']]);
  });

  it('is quiet for balanced classes', () => {
    expect(imbalanceFindings(labeled({ a: 100, b: 90, c: 110 }))).toEqual([]);
  });
});

describe('missing', () => {
  it('finds unlabeled items, empty classes and odd channels', () => {
    const items = [
      ...labeled({ a: 10, b: 10 }),
      auditItem(100, { label: null }),
      auditItem(101, { label: 'a', channels: 3 }),
      auditItem(102, { label: 'b', channels: 3 }),
    ];
    const greyContent = (i: { itemId: number }): boolean => i.itemId === 102;
    const findings = missingFindings(items, ['a', 'b', 'c'], 'image', greyContent);
    const byDetail = Object.fromEntries(
      findings.map((f) => [f.detail, f.members.map((m) => m.itemId)]),
    );
    expect(byDetail).toEqual({
      unlabeled: [100],
      'empty-class': [],
      'colour-channels': [101],
      'grey-stored-as-colour': [102],
    });
  });
});

describe('outliers', () => {
  it('flags the one item far from everything, and not its ordinary neighbours', () => {
    // 40 points on a line 1 apart, plus one 50 away: its neighbour distance stands out.
    const count = 41;
    const k = 3;
    const neighbours: Neighbours = {
      k,
      index: new Int32Array(count * k),
      distance: new Float32Array(count * k),
    };
    for (let i = 0; i < count; i++) {
      for (let t = 0; t < k; t++) {
        const j = i === 40 ? t : (i + t + 1) % 40;
        neighbours.index[i * k + t] = j;
        neighbours.distance[i * k + t] = i === 40 ? 2500 : (1 + 0.1 * (i % 5)) ** 2;
      }
    }
    const items = Array.from({ length: count }, (_, i) => auditItem(i + 1));
    const rows = items.map((_, i) => i);
    const scores = outlierScores(neighbours, count);
    const findings = outlierFindings(items, rows, scores, neighbours);
    expect(findings.map((f) => f.members[0]?.itemId)).toEqual([41]);
    expect(scores.uniqueness[40]).toBe(1);
  });
});
