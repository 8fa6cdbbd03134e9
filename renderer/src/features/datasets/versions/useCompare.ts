import { useCallback } from 'react';
import { useOutcome } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';

/** What going from one version to another changes (null: nothing asked yet). */
export function useCompare(fromVersionId: number, toVersionId: number | null) {
  const api = useStudio();
  const load = useCallback(
    () => api.datasets.compareVersions({ fromVersionId, toVersionId: toVersionId as number }),
    [api, fromVersionId, toVersionId],
  );
  return useOutcome(toVersionId === null ? null : load);
}
