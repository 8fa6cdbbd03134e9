import type { RunDetail } from '../../../../preload/contract';
import { pointsOf } from './metricPoints';

// The x axis of compared curves: steps, or seconds of training (each point's recorded time).

export type XAxis = 'step' | 'time';

/** The run's wall time (start to end of its last session), null while it has not ended. */
export function wallSeconds(run: Pick<RunDetail, 'startedAt' | 'endedAt'>): number | null {
  if (!run.startedAt || !run.endedAt) return null;
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  return seconds > 0 ? seconds : null;
}

/**
 * How long the run trained: its newest point's recorded training time (every session, pauses
 * not counted), else the wall time of its last session for runs recorded before points had it.
 */
export function trainingSeconds(
  run: Pick<RunDetail, 'metrics' | 'startedAt' | 'endedAt'>,
): number | null {
  const recorded = run.metrics.flatMap((p) => (typeof p.seconds === 'number' ? [p.seconds] : []));
  return recorded.length > 0 ? Math.max(...recorded) : wallSeconds(run);
}

/**
 * Seconds since the start at a step, for runs recorded before points carried their training time:
 * the run's wall time spread evenly over its steps (its average rate); the axis label says so.
 */
function secondsPerStep(run: Pick<RunDetail, 'step' | 'startedAt' | 'endedAt'>): number | null {
  const seconds = wallSeconds(run);
  return seconds && run.step > 0 ? seconds / run.step : null;
}

/** A metric's points on the x axis chosen: steps, or seconds of training when recorded. */
export function pointsAt(
  run: Pick<RunDetail, 'metrics' | 'step' | 'startedAt' | 'endedAt'>,
  name: string,
  xAxis: XAxis,
): { points: { x: number; y: number }[]; estimated: boolean } | null {
  const recorded = run.metrics.filter((p) => p.name === name);
  if (xAxis === 'step' || recorded.length === 0) {
    return { points: pointsOf(run.metrics, name), estimated: false };
  }
  if (recorded.every((p) => typeof p.seconds === 'number')) {
    const points = recorded.map((p) => ({ x: Math.round(p.seconds! * 100) / 100, y: p.value }));
    return { points: points.sort((a, b) => a.x - b.x), estimated: false };
  }
  const scale = secondsPerStep(run);
  if (scale === null) return null;
  const points = pointsOf(run.metrics, name).map((p) => ({
    x: Math.round(p.x * scale * 100) / 100,
    y: p.y,
  }));
  return { points, estimated: true };
}
