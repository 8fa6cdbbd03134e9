import { useCallback } from 'react';
import { useOutcome, useStudioEvent } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';

/** The quality of every audited version of a dataset, loaded again whenever an audit ends. */
export function useQualityHistory(datasetId: number) {
  const api = useStudio();
  const load = useCallback(() => api.audit.history({ datasetId }), [api, datasetId]);
  const history = useOutcome(load);
  useStudioEvent('audit:progress', (p) => {
    if (p.datasetId === datasetId && p.status === 'completed') history.reload();
  });
  return history;
}
