import type { VersionMetricChange } from '../../../../../preload/contract';
import { isBetterValue } from '../../../../../shared/runs/metricDirection';

/** Which version is better on a row of a version comparison (null: a tie or a missing value). */
export function bestSide(m: Pick<VersionMetricChange, 'a' | 'b' | 'better'>): 'a' | 'b' | null {
  if (m.a === null || m.b === null || m.a === m.b) return null;
  return isBetterValue(m.better, m.a, m.b) ? 'a' : 'b';
}

/**
 * A row's change (b minus a) as the table shows it, with twice its standard error where the
 * figure is a share of the judge's samples ("+0.032 ± 0.011", as `studio compare-versions`
 * prints it). `withinNoise`: the change is no larger than that, so drawing other samples could
 * have given it; the table dims it rather than let the ★ alone speak.
 */
export function changeText(m: Pick<VersionMetricChange, 'change' | 'changeError'>): {
  text: string;
  withinNoise: boolean;
} {
  if (m.change === null) return { text: '—', withinNoise: false };
  const show = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(2));
  const signed = `${m.change > 0 ? '+' : m.change < 0 ? '−' : ''}${show(Math.abs(m.change))}`;
  if (m.changeError === null) return { text: signed, withinNoise: false };
  const twoSe = 2 * m.changeError;
  return { text: `${signed} ± ${show(twoSe)}`, withinNoise: Math.abs(m.change) <= twoSe };
}
