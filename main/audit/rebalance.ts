import type { DatasetKind, Preprocessing, RebalanceChoice } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import { seededRandom, shuffleInPlace } from '../common/random';
import { defaultUndersampleTarget } from './classes';

/** An item of the audited version with its label there. */
export interface LabeledItem {
  itemId: number;
  label: string | null;
}

/** What rebalancing changes: items to exclude, or the version's settings. */
export interface RebalancePlan {
  exclude: number[];
  /** The next version's settings, or null when they stay as they are. */
  preprocessing: Preprocessing | null;
  /** The clause the fix's note says, e.g. "classes balanced by oversampling (…)". */
  note: string;
}

/**
 * The shift oversampling turns on when the version augments nothing: two pixels make a repeated
 * image differ without changing what it shows (a flip would: a mirrored 7 is no 7).
 */
export const OVERSAMPLE_SHIFT = 2;

export const DEFAULT_REBALANCE: RebalanceChoice = { method: 'oversample' };

function classSizes(items: readonly LabeledItem[]): Map<string, LabeledItem[]> {
  const byClass = new Map<string, LabeledItem[]>();
  for (const item of items) {
    if (item.label === null) continue;
    const members = byClass.get(item.label) ?? [];
    members.push(item);
    byClass.set(item.label, members);
  }
  return byClass;
}

function oversample(kind: DatasetKind, preprocessing: Preprocessing): RebalancePlan {
  if (kind !== 'image') {
    throw new StudioFailure(
      'invalid-input',
      'Oversampling balances the batches of image datasets; a text model reads its texts as one corpus. Undersample instead.',
    );
  }
  if (preprocessing.sampling.classBalanced) {
    throw new StudioFailure(
      'invalid-input',
      'This version already draws its training batches class-balanced. Collect more examples of the small classes, or undersample.',
    );
  }
  const { augmentation } = preprocessing;
  const augments = augmentation.flipHorizontal || augmentation.maxShift > 0;
  const next: Preprocessing = {
    ...preprocessing,
    sampling: { classBalanced: true },
    augmentation: augments ? augmentation : { ...augmentation, maxShift: OVERSAMPLE_SHIFT },
  };
  return {
    exclude: [],
    preprocessing: next,
    note: augments
      ? 'classes balanced by oversampling (class-balanced batches)'
      : `classes balanced by oversampling (class-balanced batches, shifts up to ${OVERSAMPLE_SHIFT}px)`,
  };
}

function undersample(
  items: readonly LabeledItem[],
  targetPerClass: number | undefined,
  seed: number,
): RebalancePlan {
  const byClass = classSizes(items);
  if (byClass.size < 2) {
    throw new StudioFailure('invalid-input', 'Undersampling needs at least two labeled classes.');
  }
  const target =
    targetPerClass ?? defaultUndersampleTarget([...byClass.values()].map((m) => m.length));
  const larger = [...byClass].filter(([, members]) => members.length > target);
  if (larger.length === 0) {
    throw new StudioFailure(
      'invalid-input',
      `No class has more than ${target} items, so undersampling to ${target} would change nothing.`,
      { targetPerClass: target },
    );
  }
  const random = seededRandom(seed);
  const exclude: number[] = [];
  // Classes and items in a fixed order, so the same version and seed drop the same items.
  for (const [, members] of larger.sort(([a], [b]) => a.localeCompare(b))) {
    const ids = members.map((m) => m.itemId).sort((a, b) => a - b);
    shuffleInPlace(ids, random);
    // A loop, not push(...slice): spreading 200k+ ids overflows the call stack.
    for (let i = target; i < ids.length; i++) exclude.push(ids[i] as number);
  }
  return {
    exclude,
    preprocessing: null,
    note: `${larger.length} class${larger.length === 1 ? '' : 'es'} undersampled to ${target} (${exclude.length} excluded)`,
  };
}

/**
 * How the whole version is rebalanced: one plan however many class-imbalance findings asked for
 * it, since they all describe the same class counts.
 */
export function planRebalance(
  choice: RebalanceChoice,
  context: {
    kind: DatasetKind;
    items: readonly LabeledItem[];
    preprocessing: Preprocessing;
    /** Seeds undersampling's choice (the audited version's id: the same fix drops the same items). */
    seed: number;
  },
): RebalancePlan {
  if (choice.method === 'oversample') return oversample(context.kind, context.preprocessing);
  return undersample(context.items, choice.targetPerClass, context.seed);
}
