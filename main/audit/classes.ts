import { member, round, type AuditItem, type DraftFinding } from './types';

/** Fewer examples than this in a class, a small generative model cannot learn its look. */
export const MIN_CLASS_SIZE = 20;
/** A class under this share of the median class size is "too small", whatever its count. */
const SMALL_SHARE = 0.15;
/** Largest/smallest class counts at or above this are reported as imbalance. */
const IMBALANCE_RATIO = 3;

/**
 * Undersampling's default target: the smallest class, but never below what a class needs to be
 * learnt, since cutting every class to a handful would throw the dataset away.
 */
export function defaultUndersampleTarget(counts: readonly number[]): number {
  return Math.max(MIN_CLASS_SIZE, Math.min(...counts));
}

export interface ClassHistogram {
  label: string;
  count: number;
}

export function classHistogram(items: readonly AuditItem[]): ClassHistogram[] {
  const counts = new Map<string, number>();
  for (const item of items)
    if (item.label !== null) counts.set(item.label, (counts.get(item.label) ?? 0) + 1);
  return [...counts.entries()]
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

/**
 * Class imbalance: the ratio, and every class too small to learn, with a remedy. A version whose
 * training batches are class-balanced has remedied the ratio already: it is still said, as
 * information, but with nothing left to fix in a click.
 */
export function imbalanceFindings(
  items: readonly AuditItem[],
  options: { balancedBatches?: boolean } = {},
): DraftFinding[] {
  const balanced = options.balancedBatches ?? false;
  const histogram = classHistogram(items);
  if (histogram.length < 2) return [];
  const largest = histogram[0] as ClassHistogram;
  const smallest = histogram[histogram.length - 1] as ClassHistogram;
  const median = (histogram[Math.floor(histogram.length / 2)] as ClassHistogram).count;
  const ratio = largest.count / Math.max(1, smallest.count);
  // What the 'undersample' remedy cuts the larger classes to unless the person says otherwise.
  const undersampleTarget = defaultUndersampleTarget(histogram.map((c) => c.count));
  const findings: DraftFinding[] = [];
  const small = histogram.filter((c) => c.count < MIN_CLASS_SIZE || c.count < SMALL_SHARE * median);
  if (ratio >= IMBALANCE_RATIO) {
    const title = `The largest class ("${largest.label}", ${largest.count}) has ${round(ratio, 1)}× the items of the smallest ("${smallest.label}", ${smallest.count})`;
    findings.push({
      type: 'class-imbalance',
      detail: 'ratio',
      severity: balanced ? 'info' : ratio >= 10 ? 'high' : 'medium',
      score: round(Math.min(1, Math.log10(ratio) / 2)),
      title: balanced ? `${title}; training batches draw every class equally often` : title,
      action: balanced ? 'review' : 'rebalance',
      members: [],
      evidence: {
        histogram,
        ratio: round(ratio, 2),
        undersampleTarget,
        remedy: balanced
          ? 'Remedied by class-balanced batches. More examples of the small classes would still add variety.'
          : remedyFor(smallest.count, largest.count),
      },
    });
  }
  for (const c of small) {
    findings.push({
      type: 'class-imbalance',
      detail: 'small-class',
      severity: c.count < MIN_CLASS_SIZE / 2 ? 'high' : 'medium',
      score: round(1 - c.count / Math.max(MIN_CLASS_SIZE, SMALL_SHARE * median)),
      title: `Class "${c.label}" has only ${c.count} items, too few to learn`,
      // Balanced batches already repeat it; only more examples help now.
      action: balanced ? 'review' : 'rebalance',
      suggestedLabel: c.label,
      members: items.filter((i) => i.label === c.label).map((i) => member(i, 'member')),
      evidence: {
        label: c.label,
        count: c.count,
        medianClassSize: median,
        histogram,
        undersampleTarget,
        remedy: remedyFor(c.count, largest.count),
      },
    });
  }
  return findings;
}

function remedyFor(count: number, largest: number): string {
  if (count < MIN_CLASS_SIZE) {
    return 'Collect more examples of this class (oversampling a handful of images only teaches the model those images).';
  }
  if (largest / count >= 10) {
    return 'Oversample this class with augmentation (flips, small shifts), or collect more.';
  }
  return 'Weight the classes by inverse frequency during training, or oversample the small ones.';
}

/**
 * Missing pieces: unlabeled items in a labeled dataset, classes with no items (a folder whose
 * files were all unusable, or a class every item of which was excluded), items with fewer (or
 * other) channels than the rest.
 */
export function missingFindings(
  items: readonly AuditItem[],
  knownClasses: readonly string[],
  kind: 'image' | 'text',
  /** Whether an image's pixels are grey whatever its file stores (RGB WebP of a grey digit). */
  greyContent: (item: AuditItem) => boolean = () => false,
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const unlabeled = items.filter((i) => i.label === null);
  const labeled = items.length - unlabeled.length;
  if (unlabeled.length > 0 && labeled >= unlabeled.length) {
    findings.push({
      type: 'missing',
      detail: 'unlabeled',
      severity: 'medium',
      score: round(unlabeled.length / items.length),
      title: `${unlabeled.length} item${unlabeled.length === 1 ? ' has' : 's have'} no label in a labeled dataset`,
      action: 'review',
      members: unlabeled.map((i) => member(i, 'subject')),
      evidence: { unlabeled: unlabeled.length, labeled },
    });
  }
  const present = new Set(items.map((i) => i.label));
  for (const label of knownClasses) {
    if (present.has(label)) continue;
    findings.push({
      type: 'missing',
      detail: 'empty-class',
      severity: 'medium',
      score: 1,
      title: `Class "${label}" has no items in this version`,
      action: 'review',
      suggestedLabel: label,
      members: [],
      evidence: { label },
    });
  }
  if (kind === 'image') findings.push(...channelFindings(items, greyContent));
  return findings;
}

function channelFindings(
  items: readonly AuditItem[],
  greyContent: (item: AuditItem) => boolean,
): DraftFinding[] {
  if (items.length === 0) return [];
  const stored = (i: AuditItem): boolean => i.channels >= 3;
  // A grey picture in an RGB file is grey content: it is not "colour" in a grey dataset.
  const colour = (i: AuditItem): boolean => stored(i) && !greyContent(i);
  const alpha = (i: AuditItem): boolean => i.channels === 2 || i.channels === 4;
  const findings: DraftFinding[] = [];
  const check = (
    test: (i: AuditItem) => boolean,
    detail: string,
    describe: (n: number, majorityHas: boolean) => string,
  ): void => {
    const having = items.filter(test);
    const majorityHas = having.length * 2 > items.length;
    const odd = majorityHas ? items.filter((i) => !test(i)) : having;
    if (odd.length === 0 || odd.length * 2 === items.length) return;
    findings.push({
      type: 'missing',
      detail,
      severity: majorityHas ? 'medium' : 'low',
      score: round(1 - odd.length / items.length),
      title: describe(odd.length, majorityHas),
      action: 'review',
      members: odd.map((i) => member(i, 'subject')),
      evidence: {
        odd: odd.length,
        total: items.length,
        channels: [...new Set(odd.map((i) => i.channels))],
      },
    });
  };
  check(colour, 'colour-channels', (n, majorityHas) =>
    majorityHas
      ? `${n} grey image${n === 1 ? '' : 's'} in a colour dataset (missing colour channels)`
      : `${n} colour image${n === 1 ? '' : 's'} in a grey dataset: training switches to colour because of ${n === 1 ? 'it' : 'them'}`,
  );
  const greyStoredAsColour = items.filter((i) => stored(i) && greyContent(i));
  if (!items.some(colour) || items.filter(colour).length * 2 < items.length) {
    const n = greyStoredAsColour.length;
    if (n > 0 && n * 2 < items.length) {
      findings.push({
        type: 'missing',
        detail: 'grey-stored-as-colour',
        severity: 'low',
        score: round(1 - n / items.length),
        title: `${n} grey image${n === 1 ? ' is' : 's are'} stored as RGB: training switches to three channels because of ${n === 1 ? 'it' : 'them'}`,
        action: 'review',
        members: greyStoredAsColour.map((i) => member(i, 'subject')),
        evidence: { odd: n, total: items.length },
      });
    }
  }
  check(alpha, 'alpha-channel', (n, majorityHas) =>
    majorityHas
      ? `${n} image${n === 1 ? ' has' : 's have'} no transparency channel, unlike the rest`
      : `${n} image${n === 1 ? ' has' : 's have'} a transparency channel the rest do not (it is flattened for training)`,
  );
  return findings;
}
