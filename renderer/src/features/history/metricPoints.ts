import type { MetricPoint } from '../../../../preload/contract';

/** One metric's points by step, in step order (what every curve of a run draws). */
export function pointsOf(points: readonly MetricPoint[], name: string) {
  return points
    .filter((p) => p.name === name)
    .map((p) => ({ x: p.step, y: p.value }))
    .sort((a, b) => a.x - b.x);
}
