import type { RelabelCount, SettingChange, VersionChanges } from '../../../preload/contract';
import type { SplitRow } from './split';

/** How many relabel pairs a note spells out before it only counts the rest. */
const PAIRS_SHOWN = 3;

/** Item-level differences between two versions' contents (settings are compared elsewhere). */
export function diffContents(
  before: readonly SplitRow[],
  after: readonly SplitRow[],
  settings: SettingChange[] = [],
): VersionChanges {
  const old = new Map(before.map((row) => [row.itemId, row]));
  const kept = new Set<number>();
  let included = 0;
  let resplit = 0;
  const pairs = new Map<string, RelabelCount>();
  for (const row of after) {
    const previous = old.get(row.itemId);
    if (!previous) {
      included++;
      continue;
    }
    kept.add(row.itemId);
    if (previous.split !== row.split) resplit++;
    if (previous.label !== row.label) {
      // JSON keeps null apart from the string "null".
      const key = JSON.stringify([previous.label, row.label]);
      const pair = pairs.get(key);
      if (pair) pair.count++;
      else pairs.set(key, { from: previous.label, to: row.label, count: 1 });
    }
  }
  const relabeled = [...pairs.values()].sort(
    (a, b) => b.count - a.count || String(a.from).localeCompare(String(b.from)),
  );
  return { excluded: before.length - kept.size, included, relabeled, settings, resplit };
}

const shownLabel = (label: string | null): string => label ?? '(unlabeled)';

function describeRelabels(relabeled: RelabelCount[]): string | null {
  const total = relabeled.reduce((sum, pair) => sum + pair.count, 0);
  if (total === 0) return null;
  const [only] = relabeled;
  if (relabeled.length === 1 && only) {
    return `${total} relabeled ${shownLabel(only.from)}→${shownLabel(only.to)}`;
  }
  const shown = relabeled
    .slice(0, PAIRS_SHOWN)
    .map((p) => `${shownLabel(p.from)}→${shownLabel(p.to)} ×${p.count}`);
  if (relabeled.length > PAIRS_SHOWN) shown.push(`${relabeled.length - PAIRS_SHOWN} more`);
  return `${total} relabeled (${shown.join(', ')})`;
}

/** The readable diff: "3 excluded, 2 relabeled 7→1, size 28→32". */
export function describeChanges(changes: VersionChanges): string {
  const parts: string[] = [];
  if (changes.excluded > 0) parts.push(`${changes.excluded} excluded`);
  if (changes.included > 0) parts.push(`${changes.included} included`);
  const relabels = describeRelabels(changes.relabeled);
  if (relabels) parts.push(relabels);
  for (const s of changes.settings) parts.push(`${s.setting} ${s.from}→${s.to}`);
  // Every exclusion nudges the split a little; only a change of split settings is worth a word.
  const splitChanged = changes.settings.some(
    (s) => s.setting === 'validation' || s.setting === 'split seed',
  );
  if (splitChanged && changes.resplit > 0) parts.push(`${changes.resplit} re-split`);
  return parts.length > 0 ? parts.join(', ') : 'no changes';
}

export function hasChanges(changes: VersionChanges): boolean {
  return (
    changes.excluded > 0 ||
    changes.included > 0 ||
    changes.relabeled.length > 0 ||
    changes.settings.length > 0 ||
    changes.resplit > 0
  );
}
