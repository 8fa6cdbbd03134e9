import { useCallback, useEffect, useMemo, useState } from 'react';
import type {
  CallArgs,
  GenerateSamplesArgs,
  RunEstimate,
  MetricPoint,
  RunDetail,
  RunProgress,
  RunStatus,
  RunSummary,
  StudioError,
} from '../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

export const ACTIVE_STATUSES: readonly RunStatus[] = ['queued', 'running'];

export function isActive(status: RunStatus): boolean {
  return ACTIVE_STATUSES.includes(status);
}

export function usePresets() {
  const api = useStudio();
  const load = useCallback(() => api.models.presets({}), [api]);
  return useOutcome(load);
}

export interface LiveRun {
  summary: RunSummary | null;
  /** Persisted metrics from runs:get, then the points streamed since. */
  metrics: MetricPoint[];
  progress: RunProgress | null;
  error: StudioError | null;
  loading: boolean;
  reload: () => void;
}

interface LiveState {
  /** The run this state describes; state of another run is never shown. */
  runId: number;
  stored: RunDetail | null;
  summary: RunSummary | null;
  live: MetricPoint[];
  progress: RunProgress | null;
  error: StudioError | null;
}

const emptyLive = (runId: number): LiveState => ({
  runId,
  stored: null,
  summary: null,
  live: [],
  progress: null,
  error: null,
});

// Events can be missed while the socket reconnects; a slow re-read while a run is active heals that.
const ACTIVE_POLL_MS = 10_000;

/** One run, live: runs:get for what is stored, runs:progress / runs:status for what happens now. */
export function useLiveRun(runId: number | null): LiveRun {
  const api = useStudio();
  const [state, setState] = useState<LiveState | null>(null);
  const [nonce, setNonce] = useState(0);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  /** Applies a change to this run's state, starting afresh if the state was another run's. */
  const update = useCallback(
    (change: (s: LiveState) => LiveState) => {
      if (runId === null) return;
      setState((prev) => change(prev?.runId === runId ? prev : emptyLive(runId)));
    },
    [runId],
  );

  useEffect(() => {
    if (runId === null) return;
    let live = true;
    void settle(api.runs.get({ runId })).then((outcome) => {
      if (!live) return;
      if (!outcome.ok) {
        update((s) => ({ ...s, error: outcome.error }));
        return;
      }
      const stored = outcome.value;
      // Points already stored replace their streamed copies.
      const lastStored = stored.metrics.reduce((max, m) => Math.max(max, m.step), -Infinity);
      update((s) => ({
        ...s,
        stored,
        summary: stored,
        live: s.live.filter((m) => m.step > lastStored),
        error: null,
      }));
    });
    return () => {
      live = false;
    };
  }, [api, runId, nonce, update]);

  useStudioEvent('runs:status', (run) => {
    if (run.id !== runId) return;
    const ended = !isActive(run.status);
    update((s) => ({ ...s, summary: run, progress: ended ? null : s.progress }));
    if (ended) reload(); // The final metrics are complete only in the store.
  });
  useStudioEvent('runs:progress', (p) => {
    if (p.runId !== runId) return;
    const points = Object.entries(p.metrics).map(([name, value]) => ({
      step: p.step,
      name,
      value,
    }));
    update((s) => ({
      ...s,
      progress: p,
      summary: s.summary ? { ...s.summary, step: p.step, totalSteps: p.totalSteps } : s.summary,
      live: points.length > 0 ? [...s.live, ...points] : s.live,
    }));
  });

  const current = state && state.runId === runId ? state : null;
  const active = current?.summary ? isActive(current.summary.status) : false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(reload, ACTIVE_POLL_MS);
    return () => clearInterval(timer);
  }, [active, reload]);

  const metrics = useMemo(
    () => (current ? [...(current.stored?.metrics ?? []), ...current.live] : []),
    [current],
  );
  return {
    summary: current?.summary ?? null,
    metrics,
    progress: current?.progress ?? null,
    error: current?.error ?? null,
    loading: runId !== null && current?.stored == null && current?.error == null,
    reload,
  };
}

export function useRunActions() {
  const api = useStudio();
  const [pending, setPending] = useState<'start' | 'stop' | 'resume' | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const start = useCallback(
    async (args: CallArgs<'runs:start'>) => {
      setPending('start');
      setError(null);
      const outcome = await settle(api.runs.start(args));
      setPending(null);
      if (!outcome.ok) {
        setError(outcome.error);
        return null;
      }
      return outcome.value;
    },
    [api],
  );

  const stop = useCallback(
    async (runId: number) => {
      setPending('stop');
      setError(null);
      const outcome = await settle(api.runs.stop({ runId }));
      setPending(null);
      if (!outcome.ok) setError(outcome.error);
    },
    [api],
  );

  const resume = useCallback(
    async (runId: number) => {
      setPending('resume');
      setError(null);
      const outcome = await settle(api.runs.resume({ runId }));
      setPending(null);
      if (!outcome.ok) setError(outcome.error);
    },
    [api],
  );

  return { start, stop, resume, pending, error, clearError: () => setError(null) };
}

/** Draws new samples from a run's checkpoint; they arrive in the gallery through `samples:added`. */
export function useGenerate() {
  const api = useStudio();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const generate = useCallback(
    async (args: GenerateSamplesArgs) => {
      setPending(true);
      setError(null);
      const outcome = await settle(api.samples.generate(args));
      setPending(false);
      if (!outcome.ok) setError(outcome.error);
    },
    [api],
  );
  return { generate, pending, error };
}

/** Parameters, memory and a measured step time for a preset on a dataset, on request. */
export function useEstimate() {
  const api = useStudio();
  const [estimate, setEstimate] = useState<RunEstimate | null>(null);
  const [error, setError] = useState<StudioError | null>(null);
  const [measuring, setMeasuring] = useState(false);
  const measure = useCallback(
    async (datasetId: number, presetId: string, includeSynthetic = true) => {
      setMeasuring(true);
      setError(null);
      setEstimate(null);
      const outcome = await settle(
        api.runs.estimate({
          datasetId,
          presetId,
          ...(includeSynthetic ? {} : { includeSynthetic: false }),
        }),
      );
      setMeasuring(false);
      if (outcome.ok) setEstimate(outcome.value);
      else setError(outcome.error);
    },
    [api],
  );
  return { estimate, error, measuring, measure, clear: () => setEstimate(null) };
}
