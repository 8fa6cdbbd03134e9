import { useCallback, useState } from 'react';
import type { RunEvaluation, StudioError } from '../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** A run's newest stored evaluation, and evaluating it (again) on demand. */
export function useEvaluation(runId: number) {
  const api = useStudio();
  const load = useCallback(() => api.runs.evaluation({ runId }), [api, runId]);
  const stored = useOutcome<RunEvaluation | null>(load);
  // The run's last status event comes after its end-of-run evaluation is stored.
  useStudioEvent('runs:status', (run) => {
    if (run.id === runId && run.status !== 'running') stored.reload();
  });
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const { reload } = stored;
  const evaluate = useCallback(async () => {
    setPending(true);
    setError(null);
    const outcome = await settle(api.runs.evaluate({ runId }));
    setPending(false);
    if (outcome.ok) reload();
    else setError(outcome.error);
  }, [api, runId, reload]);
  return {
    evaluation: stored.value,
    loading: stored.loading,
    error: error ?? stored.error,
    pending,
    evaluate,
  };
}

/** The newest audit of the version a run trained on (null when it was never audited). */
export function useVersionAudit(datasetId: number, versionId: number) {
  const api = useStudio();
  const load = useCallback(
    () => api.audit.latest({ datasetId, versionId }),
    [api, datasetId, versionId],
  );
  return useOutcome(load).value;
}
