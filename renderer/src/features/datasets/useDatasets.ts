import { useCallback } from 'react';
import { useOutcome, useStudioEvent } from '../../api/hooks';
import { useStudio } from '../../api/StudioContext';

export function useDatasetList() {
  const api = useStudio();
  const load = useCallback(() => api.datasets.list({}), [api]);
  const state = useOutcome(load);
  useStudioEvent('datasets:changed', state.reload);
  return state;
}

export function useDatasetDetail(datasetId: number) {
  const api = useStudio();
  const load = useCallback(() => api.datasets.get({ datasetId }), [api, datasetId]);
  const state = useOutcome(load);
  useStudioEvent('datasets:changed', (e) => {
    if (e.datasetId === datasetId) state.reload();
  });
  return state;
}
