import type { DataSplit, SplitSettings } from '../../../preload/contract';

export interface VersionRow {
  itemId: number;
  label: string | null;
}

export interface SplitRow extends VersionRow {
  split: DataSplit;
}

/** murmur3's finaliser: a well-mixed 32-bit hash of a 32-bit value. */
function mix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** An item's place in the validation queue of its class, fixed by the seed and its id alone. */
export function splitRank(seed: number, itemId: number): number {
  return mix32(itemId ^ mix32(seed + 0x9e3779b9));
}

/** Validation items of a class of `size`: rounded share, but a class always keeps one to train on. */
export function validationCount(size: number, fraction: number): number {
  return Math.max(0, Math.min(size - 1, Math.round(size * fraction)));
}

/**
 * Splits each class (unlabeled items are a class of their own) into train and validation. An
 * item's rank depends only on the seed and its id, not on the other items, so excluding or
 * relabeling a few items moves at most a few others across the line: versions stay comparable.
 * `trainOnly` items (synthetic ones, made from generated samples) always train and do not count
 * towards a class's validation share: a model is validated on real data.
 */
export function assignSplit(
  rows: readonly VersionRow[],
  settings: SplitSettings,
  trainOnly: ReadonlySet<number> = new Set(),
): SplitRow[] {
  const byClass = new Map<string | null, VersionRow[]>();
  for (const row of rows) {
    if (trainOnly.has(row.itemId)) continue;
    const group = byClass.get(row.label);
    if (group) group.push(row);
    else byClass.set(row.label, [row]);
  }
  const validation = new Set<number>();
  for (const group of byClass.values()) {
    const ranked = group
      .map((row) => ({ id: row.itemId, rank: splitRank(settings.seed, row.itemId) }))
      .sort((a, b) => a.rank - b.rank || a.id - b.id);
    const count = validationCount(group.length, settings.validationFraction);
    for (let i = 0; i < count; i++) validation.add((ranked[i] as { id: number }).id);
  }
  return rows.map((row) => ({
    ...row,
    split: validation.has(row.itemId) ? 'validation' : 'train',
  }));
}
