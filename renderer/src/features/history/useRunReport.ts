import { useCallback, useState } from 'react';
import type { ReportExportResult, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

/** Writes a run's self-contained HTML report under the studio's exports folder. */
export function useRunReport(runId: number) {
  const api = useStudio();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ReportExportResult | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const exportReport = useCallback(async () => {
    setPending(true);
    setError(null);
    setResult(null);
    const outcome = await settle(api.runs.exportReport({ runId }));
    setPending(false);
    if (outcome.ok) setResult(outcome.value);
    else setError(outcome.error);
  }, [api, runId]);

  return {
    exportReport,
    pending,
    result,
    error,
    dismiss: () => {
      setResult(null);
      setError(null);
    },
  };
}
