import { useCallback, useState } from 'react';
import type { ExportResult, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

export function useExportSamples() {
  const api = useStudio();
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const exportSamples = useCallback(
    async (sampleIds: number[], folder: string) => {
      setPending(true);
      setError(null);
      setResult(null);
      const trimmed = folder.trim();
      const outcome = await settle(
        api.samples.export(trimmed ? { sampleIds, folder: trimmed } : { sampleIds }),
      );
      setPending(false);
      if (outcome.ok) setResult(outcome.value);
      else setError(outcome.error);
    },
    [api],
  );

  return {
    exportSamples,
    pending,
    result,
    error,
    dismiss: () => {
      setResult(null);
      setError(null);
    },
  };
}
