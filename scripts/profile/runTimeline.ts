// Splits a run's wall time by what happened in it, from the main thread's timestamps of its events
// (see bench-run.ts). The worker emits progress after a step and then, at that same step, may
// validate, render samples and checkpoint: that work falls in the interval up to the next progress
// event, so an interval (s0, s1] holds the extras of the steps s0 ≤ s < s1.

export interface RunTimeline {
  startedAt: number;
  endedAt: number;
  totalSteps: number;
  /** Progress events in order (one after most steps: the worker throttles them to 100 ms). */
  progress: { at: number; step: number }[];
  samples: { at: number; step: number }[];
  /** Steps with validation metrics. */
  validationSteps: number[];
  /** Checkpoints by step count (0: none; those by the clock are not visible here). */
  checkpointEvery: number;
}

export interface RunAttribution {
  wallMs: number;
  /** Per-step time over intervals with no extras in them. */
  steadyStepMs: number;
  /** setup, steps, validation, samples, checkpoint (and combinations), tail: ms of the run. */
  parts: Record<string, number>;
  extrasCount: Record<string, number>;
}

export function attributeRun(t: RunTimeline): RunAttribution {
  const wallMs = t.endedAt - t.startedAt;
  const first = t.progress[0];
  const last = t.progress.at(-1);
  if (first === undefined || last === undefined) {
    return { wallMs, steadyStepMs: NaN, parts: { unattributed: wallMs }, extrasCount: {} };
  }
  const validation = new Set(t.validationSteps);
  const sampled = new Set(t.samples.map((s) => s.step));
  const labelsAt = (step: number): string[] => {
    const labels: string[] = [];
    if (validation.has(step)) labels.push('validation');
    if (sampled.has(step)) labels.push('samples');
    if (t.checkpointEvery > 0 && step % t.checkpointEvery === 0) labels.push('checkpoint');
    return labels;
  };
  const intervals: { ms: number; steps: number; label: string }[] = [];
  for (let i = 1; i < t.progress.length; i++) {
    const a = t.progress[i - 1];
    const b = t.progress[i];
    if (a === undefined || b === undefined) continue;
    const labels = new Set<string>();
    for (let s = a.step; s < b.step; s++) for (const l of labelsAt(s)) labels.add(l);
    intervals.push({ ms: b.at - a.at, steps: b.step - a.step, label: [...labels].join('+') });
  }
  const plain = intervals.filter((i) => i.label === '');
  const plainSteps = plain.reduce((a, i) => a + i.steps, 0);
  const steadyStepMs = plain.reduce((a, i) => a + i.ms, 0) / Math.max(1, plainSteps);
  const parts: Record<string, number> = {
    setup: first.at - t.startedAt,
    steps: 0,
    tail: t.endedAt - last.at,
  };
  const extrasCount: Record<string, number> = {};
  for (const i of intervals) {
    const stepsMs = Math.min(i.ms, i.steps * steadyStepMs);
    parts.steps = (parts.steps ?? 0) + stepsMs;
    if (i.label !== '') {
      parts[i.label] = (parts[i.label] ?? 0) + i.ms - stepsMs;
      extrasCount[i.label] = (extrasCount[i.label] ?? 0) + 1;
    } else {
      // A plain interval slower than the mean: noise of the machine, counted with the steps.
      parts.steps = (parts.steps ?? 0) + i.ms - stepsMs;
    }
  }
  return { wallMs, steadyStepMs, parts, extrasCount };
}
