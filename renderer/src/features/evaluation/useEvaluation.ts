import { useCallback, useState } from 'react';
import type { RunEvaluation, StudioError } from '../../../../preload/contract';
import { useOutcome } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** A run's newest stored evaluation, and evaluating it (again) on demand. */
export function useEvaluation(runId: number, refreshKey: string) {
  const api = useStudio();
  // refreshKey changes when the run ends: the end-of-run evaluation is stored by then.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const load = useCallback(() => api.runs.evaluation({ runId }), [api, runId, refreshKey]);
  const stored = useOutcome<RunEvaluation | null>(load);
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
