import { useCallback } from 'react';
import { useOutcome } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';

/**
 * The content of a text item, for its detail view or (with `maxChars`) an excerpt beside other
 * items (null id: nothing to load).
 */
export function useItemText(itemId: number | null, maxChars?: number) {
  const api = useStudio();
  const load = useCallback(
    () =>
      api.datasets.itemText({
        itemId: itemId as number,
        ...(maxChars === undefined ? {} : { maxChars }),
      }),
    [api, itemId, maxChars],
  );
  return useOutcome(itemId === null ? null : load);
}
