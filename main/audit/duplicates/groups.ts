import type { AuditItem, DraftFinding, DraftMember } from '../types';
import { member } from '../types';

/** Union-find over item positions, for grouping pairs into clusters. */
export class UnionFind {
  private readonly parent: Int32Array;

  constructor(size: number) {
    this.parent = Int32Array.from({ length: size }, (_, i) => i);
  }

  find(i: number): number {
    let root = i;
    while (this.parent[root] !== root) root = this.parent[root] as number;
    // Path compression keeps later finds flat.
    while (this.parent[i] !== root) {
      const next = this.parent[i] as number;
      this.parent[i] = root;
      i = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }

  /** Groups of two or more, each sorted, in order of their first member. */
  groups(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let i = 0; i < this.parent.length; i++) {
      const root = this.find(i);
      const g = byRoot.get(root);
      if (g) g.push(i);
      else byRoot.set(root, [i]);
    }
    return [...byRoot.values()].filter((g) => g.length > 1);
  }
}

/** A group of positions in `items` that are the same thing (one is kept, the rest are copies). */
export interface DuplicateGroup {
  members: number[];
  /** The position that stays when the group is reduced to one. */
  keep: number;
}

/**
 * Items whose bytes are identical, or whose decoded content is (same pixels in another format or
 * under another name; same text in another encoding): `contentKey` returns null for items it
 * cannot speak for (undecodable), which then group by bytes only.
 */
export function exactDuplicateGroups(
  items: readonly AuditItem[],
  contentKey: (position: number) => string | null,
  preferKeep: (a: number, b: number) => number = (a, b) => a - b,
): DuplicateGroup[] {
  const uf = new UnionFind(items.length);
  const firstByKey = new Map<string, number>();
  items.forEach((item, i) => {
    for (const key of [`b:${item.blobSha}`, contentKey(i)]) {
      if (key === null) continue;
      const seen = firstByKey.get(key);
      if (seen === undefined) firstByKey.set(key, i);
      else uf.union(seen, i);
    }
  });
  return uf.groups().map((members) => ({
    members,
    keep: [...members].sort(preferKeep)[0] as number,
  }));
}

/** Distinct labels in a group, for the "copies disagree on their label" evidence. */
export function labelsOf(
  items: readonly AuditItem[],
  positions: readonly number[],
): (string | null)[] {
  return [...new Set(positions.map((p) => (items[p] as AuditItem).label))];
}

export function groupMembers(items: readonly AuditItem[], group: DuplicateGroup): DraftMember[] {
  const ordered = [group.keep, ...group.members.filter((p) => p !== group.keep)];
  return ordered.map((p) => member(items[p] as AuditItem, p === group.keep ? 'keep' : 'duplicate'));
}

export function exactDuplicateFindings(
  items: readonly AuditItem[],
  groups: readonly DuplicateGroup[],
  noun: 'image' | 'text',
): DraftFinding[] {
  return groups.map((group) => {
    const sameBytes = new Set(group.members.map((p) => (items[p] as AuditItem).blobSha)).size === 1;
    const labels = labelsOf(items, group.members);
    const conflicting = labels.length > 1;
    const n = group.members.length;
    return {
      type: 'exact-duplicate',
      detail: sameBytes ? 'same-bytes' : 'same-content',
      severity: conflicting ? 'high' : 'medium',
      score: 1,
      title:
        `${n} identical ${noun}s` +
        (sameBytes ? '' : ' (the same content in different files)') +
        (conflicting ? `, labeled differently (${labels.map(String).join(', ')})` : ''),
      action: 'keep-one',
      members: groupMembers(items, group),
      evidence: { size: n, sameBytes, labels },
    };
  });
}
