import { useCallback, useState } from 'react';
import type { RunAlarms, StudioError } from '../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** A run's alarms and kept best checkpoint, refreshed as alarms and checkpoints arrive. */
export function useRunAlarms(runId: number) {
  const api = useStudio();
  const load = useCallback(() => api.runs.alarms({ runId }), [api, runId]);
  const state = useOutcome<RunAlarms>(load);
  const { reload } = state;
  useStudioEvent('runs:alarm', (alarm) => {
    if (alarm.runId === runId) reload();
  });
  // A checkpoint (a status event) may have become the best one.
  useStudioEvent('runs:status', (run) => {
    if (run.id === runId) reload();
  });

  const [pending, setPending] = useState<'continue' | 'end' | null>(null);
  const [error, setError] = useState<StudioError | null>(null);
  const rollback = useCallback(
    async (continueTraining: boolean) => {
      setPending(continueTraining ? 'continue' : 'end');
      setError(null);
      const outcome = await settle(api.runs.rollback({ runId, continue: continueTraining }));
      setPending(null);
      if (!outcome.ok) setError(outcome.error);
      reload();
    },
    [api, runId, reload],
  );
  return { ...state, rollback, pending, rollbackError: error };
}
