import type { MetricDirection } from '../../preload/contract';

// Which of two values of a metric is better, and how to say which way is better: shared so the
// CLI, the run comparison and the pages rank a metric (a `*_z` best near 0 among them) alike.

/** Whether `a` is a better value than `b` of a metric that is better in `direction`. */
export function isBetterValue(direction: MetricDirection, a: number, b: number): boolean {
  if (direction === 'zero') return Math.abs(a) < Math.abs(b);
  return direction === 'lower' ? a < b : a > b;
}

/** How a person reads the direction: "lower is better", "nearer 0 is better". */
export function directionLabel(direction: MetricDirection): string {
  return direction === 'zero' ? 'nearer 0' : direction;
}
