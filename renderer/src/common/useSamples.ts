import { useCallback, useEffect, useRef } from 'react';
import { useOutcome, useStudioEvent } from '../api/hooks';
import { useStudio } from '../api/StudioContext';

// Samples arrive in bursts (a grid per sampling step); one re-read per burst is enough.
const REFRESH_DEBOUNCE_MS = 300;

/** Samples of one run, or of all runs when runId is undefined; re-read when new ones are added. */
export function useSamples(runId: number | undefined) {
  const api = useStudio();
  const load = useCallback(
    () => api.samples.list(runId === undefined ? {} : { runId }),
    [api, runId],
  );
  const state = useOutcome(load);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { reload } = state;

  useStudioEvent('samples:added', (e) => {
    if (runId !== undefined && e.runId !== runId) return;
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(reload, REFRESH_DEBOUNCE_MS);
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );
  return state;
}
