import { describe, expect, it } from 'vitest';
import type { MetricPoint } from '../../../../preload/contract';
import { pointsAt, trainingSeconds } from './compareAxis';

const run = (metrics: MetricPoint[]) => ({
  metrics,
  step: 30,
  startedAt: '2026-01-01T00:00:00.000Z',
  endedAt: '2026-01-01T00:00:30.000Z',
});

describe('the x axis of compared curves', () => {
  it('puts points at their recorded training time, not at the average rate', () => {
    // A slow start: 20 s for the first 10 steps, then 10 s for the next 20.
    const timed = run([
      { step: 10, name: 'loss', value: 0.9, seconds: 20 },
      { step: 30, name: 'loss', value: 0.5, seconds: 30 },
    ]);
    expect(pointsAt(timed, 'loss', 'time')).toEqual({
      points: [
        { x: 20, y: 0.9 },
        { x: 30, y: 0.5 },
      ],
      estimated: false,
    });
    expect(pointsAt(timed, 'loss', 'step')?.points.map((p) => p.x)).toEqual([10, 30]);
  });

  it("spreads an older run's wall time over its steps, and says it estimated", () => {
    const untimed = run([
      { step: 10, name: 'loss', value: 0.9, seconds: null },
      { step: 30, name: 'loss', value: 0.5, seconds: null },
    ]);
    expect(pointsAt(untimed, 'loss', 'time')).toEqual({
      points: [
        { x: 10, y: 0.9 },
        { x: 30, y: 0.5 },
      ],
      estimated: true,
    });
    expect(pointsAt({ ...untimed, endedAt: null }, 'loss', 'time')).toBeNull();
  });

  it("takes a run's training time from its newest recorded point, else its wall time", () => {
    // Resumed: its last session (started_at to ended_at) was 30 s of 50 s of training.
    const resumed = run([
      { step: 10, name: 'loss', value: 0.9, seconds: 20 },
      { step: 30, name: 'loss', value: 0.5, seconds: 50 },
    ]);
    expect(trainingSeconds(resumed)).toBe(50);
    expect(trainingSeconds(run([{ step: 10, name: 'loss', value: 0.9, seconds: null }]))).toBe(30);
  });
});
