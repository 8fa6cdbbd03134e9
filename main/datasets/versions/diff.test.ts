import { describe, expect, it } from 'vitest';
import { describeChanges, diffContents, hasChanges } from './diff';
import type { SplitRow } from './split';

const row = (
  itemId: number,
  label: string | null,
  split: SplitRow['split'] = 'train',
): SplitRow => ({
  itemId,
  label,
  split,
});

describe('version diffs', () => {
  it('counts exclusions, inclusions and relabels by pair', () => {
    const before = [row(1, '7'), row(2, '7'), row(3, '7'), row(4, '4'), row(5, '0')];
    const after = [row(1, '1'), row(2, '1'), row(4, '9'), row(6, null)];
    const changes = diffContents(before, after);
    expect(changes.excluded).toBe(2);
    expect(changes.included).toBe(1);
    expect(changes.relabeled).toEqual([
      { from: '7', to: '1', count: 2 },
      { from: '4', to: '9', count: 1 },
    ]);
    expect(describeChanges(changes)).toBe('2 excluded, 1 included, 3 relabeled (7→1 ×2, 4→9 ×1)');
  });

  it('reads like the issue asks: "3 excluded, 2 relabeled 7→1, size 28→32"', () => {
    const before = [row(1, '7'), row(2, '7'), row(3, '0'), row(4, '0'), row(5, '0')];
    const after = [row(1, '1'), row(2, '1')];
    const changes = diffContents(before, after, [{ setting: 'size', from: '28', to: '32' }]);
    expect(describeChanges(changes)).toBe('3 excluded, 2 relabeled 7→1, size 28→32');
  });

  it('tells an unlabeled item from one labelled "null", and names it', () => {
    const changes = diffContents([row(1, 'null')], [row(1, null)]);
    expect(changes.relabeled).toEqual([{ from: 'null', to: null, count: 1 }]);
    expect(describeChanges(changes)).toBe('1 relabeled null→(unlabeled)');
  });

  it('mentions re-splitting only when the split settings changed', () => {
    const moved = diffContents([row(1, 'a', 'train')], [row(1, 'a', 'validation')]);
    expect(moved.resplit).toBe(1);
    expect(hasChanges(moved)).toBe(true);
    expect(describeChanges(moved)).toBe('no changes');
    const withSetting = { ...moved, settings: [{ setting: 'validation', from: '10%', to: '20%' }] };
    expect(describeChanges(withSetting)).toBe('validation 10%→20%, 1 re-split');
  });

  it('says so when nothing changed', () => {
    const same = diffContents([row(1, 'a')], [row(1, 'a')]);
    expect(hasChanges(same)).toBe(false);
    expect(describeChanges(same)).toBe('no changes');
  });
});
