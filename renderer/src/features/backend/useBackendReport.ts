import { useCallback } from 'react';
import { useOutcome } from '../../api/hooks';
import { useStudio } from '../../api/StudioContext';

/** The ML backend report; asking for it may wait while the ML worker starts. */
export function useBackendReport() {
  const api = useStudio();
  const load = useCallback(() => api.ml.backend({}), [api]);
  return useOutcome(load);
}
