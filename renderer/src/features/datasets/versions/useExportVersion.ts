import { useCallback, useState } from 'react';
import type { StudioError, VersionExportResult } from '../../../../../preload/contract';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';

/** Writes one version as class folders + manifest.json (for PyTorch, a cloud job, …). */
export function useExportVersion(datasetId: number) {
  const api = useStudio();
  const [pending, setPending] = useState<number | null>(null);
  const [result, setResult] = useState<{
    versionNumber: number;
    value: VersionExportResult;
  } | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const exportVersion = useCallback(
    async (versionNumber: number, folder: string) => {
      setPending(versionNumber);
      setError(null);
      setResult(null);
      const trimmed = folder.trim();
      const outcome = await settle(
        api.datasets.exportVersion({
          datasetId,
          versionNumber,
          ...(trimmed ? { folder: trimmed } : {}),
        }),
      );
      setPending(null);
      if (outcome.ok) setResult({ versionNumber, value: outcome.value });
      else setError(outcome.error);
    },
    [api, datasetId],
  );

  return {
    exportVersion,
    pending,
    result,
    error,
    dismiss: () => {
      setResult(null);
      setError(null);
    },
  };
}

export type VersionExporter = ReturnType<typeof useExportVersion>;
