import type { MetricPoint } from '../../preload/contract';

/**
 * A chart per name: metric names without their validation twin (`val_loss` is drawn with
 * `loss`), loss first. The run view and the run report chart the same names.
 */
export function baseMetricNames(points: readonly MetricPoint[]): string[] {
  const names = new Set(points.map((p) => p.name.replace(/^val_/, '')));
  return [...names].sort((a, b) => (a === 'loss' ? -1 : b === 'loss' ? 1 : a.localeCompare(b)));
}
