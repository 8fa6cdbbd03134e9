import { useCallback, useEffect, useState } from 'react';
import type { Preprocessing } from '../../../../../preload/contract';
import { useOutcome } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';

/** Waits until `value` has stopped changing for `ms`, so typing a size renders one preview. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Examples rendered by the core with (unsaved) settings; null settings: none wanted. */
export function usePreprocessPreview(datasetId: number, settings: Preprocessing | null) {
  const api = useStudio();
  const key = settings ? JSON.stringify(settings) : null;
  const debounced = useDebounced(key, 350);
  const load = useCallback(
    () =>
      api.datasets.previewPreprocessing({
        datasetId,
        preprocessing: JSON.parse(debounced as string) as Preprocessing,
        count: 6,
      }),
    [api, datasetId, debounced],
  );
  return useOutcome(debounced === null ? null : load);
}
