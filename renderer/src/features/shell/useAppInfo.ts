import { useCallback } from 'react';
import type { BackendReport } from '../../../../preload/contract';
import { useOutcome } from '../../api/hooks';
import { useStudio } from '../../api/StudioContext';

export function useAppInfo() {
  const api = useStudio();
  const load = useCallback(() => api.app.info({}), [api]);
  return useOutcome(load);
}

/**
 * The backend for the header: app:info carries it once the ML worker is up; before that,
 * ml:backend is asked (which waits for the worker) so the header never stays blank.
 */
export function useHeaderBackend(fromInfo: BackendReport | null, infoLoaded: boolean) {
  const api = useStudio();
  const needsProbe = infoLoaded && fromInfo === null;
  const load = useCallback(() => api.ml.backend({}), [api]);
  const probe = useOutcome(needsProbe ? load : null);
  return { report: fromInfo ?? probe.value, loading: needsProbe && probe.loading };
}
