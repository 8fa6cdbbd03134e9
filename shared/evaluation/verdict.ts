import type { AuditSummary, RunEvaluation } from '../../preload/contract';

// What each figure of the report card means and what good looks like, and the plain verdict
// sentence built from them (issue 11). Pure, so the wording is tested without a page.

export interface FigureSpec {
  metric: string;
  label: string;
  /** One line: what good looks like. */
  good: string;
  format: 'number' | 'share' | 'count';
}

export interface FigureSection {
  title: string;
  figures: FigureSpec[];
}

export const IMAGE_SECTIONS: FigureSection[] = [
  {
    title: 'Realism',
    figures: [
      {
        metric: 'eval_frechet_distance',
        label: 'Fréchet distance',
        good: 'Lower is better; 0 means the samples’ features match the validation items’.',
        format: 'number',
      },
      {
        metric: 'eval_kid',
        label: 'KID',
        good: 'Lower is better; near 0 (it can dip below) is indistinguishable from real data.',
        format: 'number',
      },
      {
        metric: 'eval_precision',
        label: 'Precision',
        good: 'Share of samples that look like real items; near 1 is good.',
        format: 'share',
      },
      {
        metric: 'eval_density',
        label: 'Density',
        good: 'About 1 for samples as close to real items as real items are; far below is off the data.',
        format: 'number',
      },
    ],
  },
  {
    title: 'Diversity',
    figures: [
      {
        metric: 'eval_recall',
        label: 'Recall',
        good: 'Share of real items the samples reach; near 1 means the whole data is covered.',
        format: 'share',
      },
      {
        metric: 'eval_coverage',
        label: 'Coverage',
        good: 'Share of real items with a sample nearby; low means modes are missing.',
        format: 'share',
      },
    ],
  },
  {
    title: 'Memorisation',
    figures: [
      {
        metric: 'eval_near_copy_share',
        label: 'Near copies',
        good: 'Share of samples closer to a training item than new data comes; about 1% is normal.',
        format: 'share',
      },
      {
        metric: 'eval_data_copying_z',
        label: 'Data-copying z',
        good: 'Near 0 is healthy; below −3 the model copies, far above 0 it underfits.',
        format: 'number',
      },
    ],
  },
  {
    title: 'Class coverage',
    figures: [
      {
        metric: 'eval_missing_classes',
        label: 'Missing classes',
        good: 'Classes the samples (almost) never show; 0 is good.',
        format: 'count',
      },
      {
        metric: 'eval_lowest_class_coverage',
        label: 'Worst-covered class',
        good: 'Share of the worst-drawn class’s items with a sample of it nearby; a starved class shows low here.',
        format: 'share',
      },
      {
        metric: 'eval_class_total_variation',
        label: 'Class spread gap',
        good: 'Distance between the samples’ and the data’s class shares; 0 is a perfect match.',
        format: 'share',
      },
      {
        metric: 'eval_conditional_accuracy',
        label: 'Asked-for class',
        good: 'Share of samples showing the class they were asked for; near 1 is good.',
        format: 'share',
      },
    ],
  },
];

export const TEXT_SECTIONS: FigureSection[] = [
  {
    title: 'Realism',
    figures: [
      {
        metric: 'eval_val_bpc',
        label: 'Validation bits/char',
        good: 'Lower is better; char-rnn on Shakespeare reaches about 1.5.',
        format: 'number',
      },
    ],
  },
  {
    title: 'Diversity',
    figures: [
      {
        metric: 'eval_distinct_words_2',
        label: 'Distinct word pairs',
        good: 'Share of word pairs that are distinct; near 1 means little repetition.',
        format: 'share',
      },
      {
        metric: 'eval_distinct_chars_4',
        label: 'Distinct 4-grams',
        good: 'Share of 4-character strings that are distinct across samples.',
        format: 'share',
      },
    ],
  },
  {
    title: 'Memorisation',
    figures: [
      {
        metric: 'eval_char8_overlap',
        label: '8-char overlap',
        good: 'Share of 8-character strings found in the training text; very near 1 is copying.',
        format: 'share',
      },
      {
        metric: 'eval_longest_copy',
        label: 'Longest copy',
        good: 'Characters in the longest stretch copied verbatim; a few dozen is normal.',
        format: 'count',
      },
      {
        metric: 'eval_line_copy_share',
        label: 'Copied lines',
        good: 'Share of generated lines that are exact training lines; low is good.',
        format: 'share',
      },
    ],
  },
];

export function formatFigure(value: number | undefined, format: FigureSpec['format']): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  if (format === 'share') return `${(value * 100).toFixed(1)}%`;
  if (format === 'count') return String(Math.round(value));
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** One plain sentence: how diverse and how original the samples are, and what the data has to do with it. */
export function verdict(evaluation: RunEvaluation, audit: AuditSummary | null): string {
  const m = evaluation.metrics;
  const duplicates = audit
    ? (audit.counts['near-duplicate'] ?? 0) + (audit.counts['exact-duplicate'] ?? 0)
    : 0;
  const dataNote =
    duplicates > 0
      ? ` — the dataset has ${duplicates} duplicate groups; removing them is one click in the audit`
      : '';
  if (evaluation.kind === 'text') {
    const overlap = m.eval_char8_overlap ?? 0;
    const lines = m.eval_line_copy_share ?? 0;
    const copying =
      lines > 0.2 || overlap > 0.95
        ? `${percent(lines)} of its lines are copied from the training text`
        : `it mostly writes new text (${percent(overlap)} of 8-character strings occur in training)`;
    return `The model ${copying}; the longest copied stretch is ${Math.round(m.eval_longest_copy ?? 0)} characters${dataNote}.`;
  }
  // Diverse only when the samples both reach the data (recall) and have a sample near most items.
  const reach = Math.min(m.eval_coverage ?? 0, m.eval_recall ?? m.eval_coverage ?? 0);
  const diverse =
    reach >= 0.5 ? 'Samples are diverse' : `Samples reach only ${percent(reach)} of the data`;
  const copies = m.eval_near_copy_share ?? 0;
  // The data-copying z is best near 0: far below, samples sit closer to training items than new
  // data does (copying, even where few are outright near copies); far above, further (underfit).
  const z = m.eval_data_copying_z ?? 0;
  const copying = copies > 0.05 || z < -3;
  const memo =
    copies > 0.05
      ? `${percent(copies)} are near copies of training items${dataNote}`
      : z < -3
        ? `they sit closer to training items than new data does (data-copying z ${z.toFixed(1)})${dataNote}`
        : `they are not copies of training items (${percent(copies)} near copies)`;
  const underfit = z > 3;
  const realism =
    (m.eval_precision ?? 0) < 0.3 || underfit
      ? ' They sit further from the data than real items do: train longer.'
      : '';
  const missing =
    evaluation.missingClasses.length > 0
      ? ` They miss the class${evaluation.missingClasses.length > 1 ? 'es' : ''} ${evaluation.missingClasses.join(', ')}.`
      : '';
  const joiner = copying ? ' but ' : ' and ';
  return `${diverse}${joiner}${memo}.${missing}${realism}`;
}
