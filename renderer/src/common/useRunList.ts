import { useCallback, useEffect, useState } from 'react';
import type { RunSummary, StudioError } from '../../../preload/contract';
import { useStudioEvent } from '../api/hooks';
import { settle } from '../api/studio';
import { useStudio } from '../api/StudioContext';

const newestFirst = (runs: RunSummary[]) => [...runs].sort((a, b) => b.id - a.id);

/** All runs, newest first, kept current by the status, progress and sample events. */
export function useRunList() {
  const api = useStudio();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    let live = true;
    void settle(api.runs.list({})).then((outcome) => {
      if (!live) return;
      if (outcome.ok) {
        setRuns(newestFirst(outcome.value));
        setLoaded(true);
        setError(null);
      } else {
        setError(outcome.error);
      }
    });
    return () => {
      live = false;
    };
  }, [api, nonce]);

  const patch = useCallback((runId: number, change: (run: RunSummary) => RunSummary) => {
    setRuns((prev) => prev.map((r) => (r.id === runId ? change(r) : r)));
  }, []);

  useStudioEvent('runs:status', (run) => {
    setRuns((prev) => newestFirst([run, ...prev.filter((r) => r.id !== run.id)]));
  });
  useStudioEvent('runs:progress', (p) =>
    patch(p.runId, (r) => ({
      ...r,
      step: p.step,
      totalSteps: p.totalSteps,
      lastLoss: p.metrics['loss'] ?? r.lastLoss,
    })),
  );
  useStudioEvent('samples:added', (e) =>
    patch(e.runId, (r) => ({ ...r, sampleCount: r.sampleCount + e.sampleIds.length })),
  );

  // For the answer to runs:start, which may arrive after the run's first status event.
  const addIfMissing = useCallback((run: RunSummary) => {
    setRuns((prev) => (prev.some((r) => r.id === run.id) ? prev : newestFirst([run, ...prev])));
  }, []);
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  return { runs, addIfMissing, loaded, error, reload };
}
