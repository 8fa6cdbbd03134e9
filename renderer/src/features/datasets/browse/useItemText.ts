import { useCallback } from 'react';
import { useOutcome } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';

/** The content of a text item, for its detail view (null id: nothing to load). */
export function useItemText(itemId: number | null) {
  const api = useStudio();
  const load = useCallback(
    () => api.datasets.itemText({ itemId: itemId as number }),
    [api, itemId],
  );
  return useOutcome(itemId === null ? null : load);
}
