// Alarms while a run trains: the four ways a generative run goes wrong that a person should hear
// about as they happen, with the step. Pure: fed the metric stream the run service persists (training
// means per progress event, `val_*` per validation point, `eval_*` per evaluation, and the preview
// grid's `sample_diversity`), it returns the alarms each point raises. Thresholds are rules of thumb
// from practice, named here so that a test can say what must and must not alarm.

import type { ModelFamily, RunAlarmKind } from '../../preload/contract';

export interface RaisedAlarm {
  step: number;
  kind: RunAlarmKind;
  /** The metric that raised it. */
  metric: string;
  value: number;
  message: string;
}

export const ALARM_RULES = {
  /** Divergence: a loss over this multiple of its recent average (EMA)... */
  spikeFactor: 3,
  /** ...over about this many recent points (EMA span, α = 2 / (span + 1))... */
  emaSpan: 50,
  /** ...once the average has seen this many points (the first steps fall fast, not diverge). */
  warmupPoints: 10,
  /** Mode collapse: the discriminator's loss EMA under this... */
  collapsedDLoss: 0.05,
  /** ...for this many progress points in a row. */
  collapsedPoints: 20,
  /** Mode collapse: the preview grid's diversity under this share of its best so far... */
  diversityFloor: 0.4,
  /** ...at this many sample points in a row. */
  diversityPoints: 2,
  /** Overfitting: validation loss rising at this many validation points in a row while training
   * loss fell over them. */
  overfitPoints: 3,
  /** Memorisation: the near-copy share rising at this many evaluations in a row... */
  memorisationRises: 2,
  /** ...by at least this much in all. */
  memorisationRise: 0.05,
} as const;

type Rules = { -readonly [K in keyof typeof ALARM_RULES]: number };

/** The loss a family's divergence is judged on; GAN losses swing by design, only NaN counts. */
function spikeMetric(family: ModelFamily): string | null {
  return family === 'dcgan' ? null : 'loss';
}

const TRAINING_LOSSES = new Set(['loss', 'gLoss', 'dLoss']);

/**
 * Diversity of the fixed-noise samples: the preview grid's pixel spread, and the quick in-run
 * evaluation's coverage and recall (how much of the real data the samples still reach). Each is
 * its own series: a fall against its own best is a collapse.
 */
const DIVERSITY_METRICS = new Set(['sample_diversity', 'eval_quick_coverage', 'eval_quick_recall']);

/**
 * Copying: the share of near copies among image samples (full and quick evaluations, each its own
 * series, since they judge different sample sets) and of exact training lines among text samples.
 */
const COPY_METRICS = new Set([
  'eval_near_copy_share',
  'eval_quick_near_copy_share',
  'eval_quick_line_copy_share',
]);

class Ema {
  value: number | null = null;
  count = 0;
  constructor(private readonly alpha: number) {}
  push(x: number): void {
    this.value = this.value === null ? x : this.value + this.alpha * (x - this.value);
    this.count += 1;
  }
}

/**
 * Watches one run. Each kind raises once per episode: after it fires it stays quiet until the
 * condition has cleared, so a long plateau is one alarm, not one per step.
 */
export class AlarmDetector {
  private readonly rules: Rules;
  private readonly lossEma: Ema;
  private readonly dLossEma: Ema;
  private readonly firing = new Set<RunAlarmKind>();
  private diverged = false;
  private collapsedRun = 0;
  private readonly diversityPeak = new Map<string, number>();
  private readonly lowDiversityRun = new Map<string, number>();
  private readonly validation: { value: number; trainingLoss: number | null }[] = [];
  private readonly copies = new Map<string, number[]>();

  constructor(
    private readonly family: ModelFamily,
    rules: Partial<Rules> = {},
  ) {
    this.rules = { ...ALARM_RULES, ...rules };
    const alpha = 2 / (this.rules.emaSpan + 1);
    this.lossEma = new Ema(alpha);
    this.dLossEma = new Ema(alpha);
  }

  /** The metrics of one step (one event): the alarms they raise, usually none. */
  observe(step: number, metrics: Readonly<Record<string, number>>): RaisedAlarm[] {
    const raised: RaisedAlarm[] = [];
    for (const [name, value] of Object.entries(metrics)) {
      const alarm = this.observeOne(step, name, value);
      if (alarm) raised.push(alarm);
    }
    return raised;
  }

  private observeOne(step: number, name: string, value: number): RaisedAlarm | null {
    if (TRAINING_LOSSES.has(name)) return this.trainingLoss(step, name, value);
    if (name === 'val_loss') return this.validationLoss(step, value);
    if (DIVERSITY_METRICS.has(name)) return this.diversity(step, name, value);
    if (COPY_METRICS.has(name)) return this.memorisation(step, name, value);
    return null;
  }

  private trainingLoss(step: number, name: string, value: number): RaisedAlarm | null {
    if (!Number.isFinite(value)) {
      if (this.diverged) return null;
      this.diverged = true;
      return alarm(step, 'divergence', name, value, `${name} became ${value} at step ${step}.`);
    }
    if (name === 'dLoss') return this.discriminatorLoss(step, value);
    if (name !== spikeMetric(this.family)) return null;
    const ema = this.lossEma;
    const average = ema.value;
    const spiking =
      average !== null &&
      average > 0 &&
      ema.count >= this.rules.warmupPoints &&
      value > this.rules.spikeFactor * average;
    // A spike is kept out of the average, so a run that stays up keeps alarming against the level it
    // left, not a level it pulled up itself.
    if (!spiking) ema.push(value);
    return this.edge('divergence', spiking, () =>
      alarm(
        step,
        'divergence',
        name,
        value,
        `${name} ${fmt(value)} at step ${step} is ${fmt(value / (average ?? 1))}× its recent average ${fmt(average ?? 0)}: the run is diverging (lower the learning rate or roll back).`,
      ),
    );
  }

  private discriminatorLoss(step: number, value: number): RaisedAlarm | null {
    this.dLossEma.push(value);
    const low = (this.dLossEma.value ?? 1) < this.rules.collapsedDLoss;
    this.collapsedRun = low ? this.collapsedRun + 1 : 0;
    return this.edge('mode-collapse', this.collapsedRun >= this.rules.collapsedPoints, () =>
      alarm(
        step,
        'mode-collapse',
        'dLoss',
        value,
        `The discriminator's loss has stayed near zero (${fmt(this.dLossEma.value ?? 0)}) for ${this.collapsedRun} reports up to step ${step}: it wins every time, the generator has stopped learning and often collapses to a few images.`,
      ),
    );
  }

  private diversity(step: number, name: string, value: number): RaisedAlarm | null {
    if (!Number.isFinite(value)) return null;
    const peak = Math.max(this.diversityPeak.get(name) ?? 0, value);
    this.diversityPeak.set(name, peak);
    const low = peak > 0 && value < this.rules.diversityFloor * peak;
    const run = low ? (this.lowDiversityRun.get(name) ?? 0) + 1 : 0;
    this.lowDiversityRun.set(name, run);
    // One collapse is one alarm, whichever of the diversity figures sees it first.
    const collapsing = [...this.lowDiversityRun.values()].some(
      (n) => n >= this.rules.diversityPoints,
    );
    const what =
      name === 'sample_diversity'
        ? `The fixed-noise samples at step ${step} differ ${fmt(value)} from each other`
        : `The quick evaluation's ${name.replace('eval_quick_', '')} at step ${step} is ${fmt(value)}`;
    return this.edge('mode-collapse', collapsing, () =>
      alarm(
        step,
        'mode-collapse',
        name,
        value,
        `${what}, ${Math.round((100 * value) / peak)}% of its best (${fmt(peak)}): the generator is collapsing to a few images.`,
      ),
    );
  }

  private validationLoss(step: number, value: number): RaisedAlarm | null {
    this.validation.push({ value, trainingLoss: this.lossEma.value });
    const window = this.validation.slice(-(this.rules.overfitPoints + 1));
    const rising =
      window.length === this.rules.overfitPoints + 1 &&
      window.every((p, i) => i === 0 || p.value > (window[i - 1]?.value ?? Infinity));
    const first = window[0]?.trainingLoss ?? null;
    const last = window[window.length - 1]?.trainingLoss ?? null;
    const trainingFalling = first !== null && last !== null && last < first;
    return this.edge('overfitting', rising && trainingFalling, () =>
      alarm(
        step,
        'overfitting',
        'val_loss',
        value,
        `Validation loss rose at ${this.rules.overfitPoints} validation points in a row (to ${fmt(value)} at step ${step}) while the training loss kept falling: the model is learning its training data by heart. The best checkpoint is kept.`,
      ),
    );
  }

  private memorisation(step: number, name: string, value: number): RaisedAlarm | null {
    if (!Number.isFinite(value)) return null;
    const series = this.copies.get(name) ?? [];
    series.push(value);
    this.copies.set(name, series);
    const n = this.rules.memorisationRises;
    const window = series.slice(-(n + 1));
    const rising =
      window.length === n + 1 &&
      window.every((v, i) => i === 0 || v > (window[i - 1] ?? Infinity)) &&
      value - (window[0] ?? value) >= this.rules.memorisationRise;
    const what = name.endsWith('line_copy_share')
      ? 'of the generated lines at step ' + step + ' are exact lines of the training text'
      : `of the samples at step ${step} are near copies of training items`;
    return this.edge('memorisation', rising, () =>
      alarm(
        step,
        'memorisation',
        name,
        value,
        `${Math.round(100 * value)}% ${what}, up from ${Math.round(100 * (window[0] ?? 0))}% ${n} evaluations ago: the model is starting to copy its data.`,
      ),
    );
  }

  /** Raises on the way into a condition only. */
  private edge(kind: RunAlarmKind, on: boolean, make: () => RaisedAlarm): RaisedAlarm | null {
    if (!on) {
      this.firing.delete(kind);
      return null;
    }
    if (this.firing.has(kind)) return null;
    this.firing.add(kind);
    return make();
  }
}

function alarm(
  step: number,
  kind: RunAlarmKind,
  metric: string,
  value: number,
  message: string,
): RaisedAlarm {
  return { step, kind, metric, value, message };
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3);
}

/**
 * The mean pairwise distance of a preview grid in pixel space (root mean square difference per
 * pixel, 0–255): cheap, and it falls when a generator collapses to a few images.
 */
export function meanPairwiseDistance(images: readonly { pixels: Uint8Array }[]): number {
  let total = 0;
  let pairs = 0;
  for (let i = 0; i < images.length; i++) {
    for (let j = i + 1; j < images.length; j++) {
      const a = images[i]?.pixels;
      const b = images[j]?.pixels;
      if (!a || !b || a.length !== b.length || a.length === 0) continue;
      let sum = 0;
      for (let k = 0; k < a.length; k++) {
        const d = (a[k] ?? 0) - (b[k] ?? 0);
        sum += d * d;
      }
      total += Math.sqrt(sum / a.length);
      pairs += 1;
    }
  }
  return pairs === 0 ? 0 : total / pairs;
}
