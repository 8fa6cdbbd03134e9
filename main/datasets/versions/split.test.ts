import { describe, expect, it } from 'vitest';
import { assignSplit, validationCount, type VersionRow } from './split';

function rows(perClass: Record<string, number>): VersionRow[] {
  let id = 1;
  return Object.entries(perClass).flatMap(([label, n]) =>
    Array.from({ length: n }, () => ({ itemId: id++, label })),
  );
}

const validationIds = (split: ReturnType<typeof assignSplit>): number[] =>
  split.filter((r) => r.split === 'validation').map((r) => r.itemId);

describe('the train/validation split', () => {
  it('holds out the same share of every class', () => {
    const split = assignSplit(rows({ a: 30, b: 10, c: 20 }), { validationFraction: 0.1, seed: 1 });
    const count = (label: string) =>
      split.filter((r) => r.label === label && r.split === 'validation').length;
    expect([count('a'), count('b'), count('c')]).toEqual([3, 1, 2]);
  });

  it('keeps at least one item of every class to train on, and splits nothing at 0', () => {
    expect(validationCount(1, 0.5)).toBe(0);
    expect(validationCount(2, 0.5)).toBe(1);
    expect(validationCount(100, 0)).toBe(0);
    const split = assignSplit([{ itemId: 7, label: null }], { validationFraction: 0.5, seed: 3 });
    expect(split).toEqual([{ itemId: 7, label: null, split: 'train' }]);
  });

  it('is the same for the same seed and differs for another seed', () => {
    const data = rows({ a: 50, b: 50 });
    const once = validationIds(assignSplit(data, { validationFraction: 0.2, seed: 9 }));
    const again = validationIds(
      assignSplit([...data].reverse(), { validationFraction: 0.2, seed: 9 }),
    );
    const other = validationIds(assignSplit(data, { validationFraction: 0.2, seed: 10 }));
    expect(again.sort((x, y) => x - y)).toEqual(once);
    expect(other).not.toEqual(once);
  });

  it('moves at most one item per class when one item is excluded', () => {
    const data = rows({ a: 40, b: 40 });
    const settings = { validationFraction: 0.25, seed: 1 };
    const before = new Set(validationIds(assignSplit(data, settings)));
    const train = data.find((r) => !before.has(r.itemId)) as VersionRow;
    const after = validationIds(
      assignSplit(
        data.filter((r) => r.itemId !== train.itemId),
        settings,
      ),
    );
    const moved = after.filter((id) => !before.has(id)).length;
    expect(moved).toBeLessThanOrEqual(1);
  });
});
