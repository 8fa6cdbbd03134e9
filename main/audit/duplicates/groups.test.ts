import { describe, expect, it } from 'vitest';
import { auditItem } from '../testing/auditKit';
import { exactDuplicateFindings, exactDuplicateGroups, UnionFind } from './groups';

describe('exact duplicate groups', () => {
  it('groups same bytes and same decoded content, transitively, and keeps the first', () => {
    const items = [
      auditItem(1, { blobSha: 'a', label: '3' }),
      auditItem(2, { blobSha: 'a', label: '3' }),
      auditItem(3, { blobSha: 'b', label: '5' }),
      auditItem(4, { blobSha: 'c' }),
    ];
    // Item 3 decodes to the same pixels as item 1 (another format); item 4 to its own.
    const content = ['x', 'x', 'x', 'y'];
    const groups = exactDuplicateGroups(items, (i) => content[i] ?? null);
    expect(groups).toEqual([{ members: [0, 1, 2], keep: 0 }]);
    const [finding] = exactDuplicateFindings(items, groups, 'image');
    expect(finding).toMatchObject({
      type: 'exact-duplicate',
      detail: 'same-content',
      severity: 'high', // the copies disagree on their label
      action: 'keep-one',
    });
    expect(finding?.members.map((m) => [m.itemId, m.role])).toEqual([
      [1, 'keep'],
      [2, 'duplicate'],
      [3, 'duplicate'],
    ]);
  });

  it('finds nothing among distinct items; a null content key groups by bytes only', () => {
    const items = [auditItem(1, { blobSha: 'a' }), auditItem(2, { blobSha: 'b' })];
    expect(exactDuplicateGroups(items, () => null)).toEqual([]);
  });

  it('union-find merges chains and reports groups of two or more', () => {
    const uf = new UnionFind(5);
    uf.union(3, 1);
    uf.union(1, 4);
    expect(uf.groups()).toEqual([[1, 3, 4]]);
  });
});
