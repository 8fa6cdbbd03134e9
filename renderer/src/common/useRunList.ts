import { useCallback, useEffect, useState } from 'react';
import type { RunSummary, StudioError } from '../../../preload/contract';
import { useStudioEvent } from '../api/hooks';
import { settle } from '../api/studio';
import { useStudio } from '../api/StudioContext';

const newestFirst = (runs: RunSummary[]) => [...runs].sort((a, b) => b.id - a.id);

/**
 * All runs (archived ones too when asked), newest first, kept current by the status, progress
 * and sample events.
 */
export function useRunList(includeArchived = false) {
  const api = useStudio();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const [nonce, setNonce] = useState(0);

  useEffect(() => {
    let live = true;
    void settle(api.runs.list(includeArchived ? { includeArchived } : {})).then((outcome) => {
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
  }, [api, nonce, includeArchived]);

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
  // For answers that change runs (renamed, archived): archived ones leave a list without them.
  const upsert = useCallback(
    (changed: RunSummary[]) => {
      setRuns((prev) =>
        newestFirst([
          ...changed,
          ...prev.filter((r) => !changed.some((c) => c.id === r.id)),
        ]).filter((r) => includeArchived || r.archivedAt === null),
      );
    },
    [includeArchived],
  );

  return { runs, addIfMissing, upsert, loaded, error, reload };
}
