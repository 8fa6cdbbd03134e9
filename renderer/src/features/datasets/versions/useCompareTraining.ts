import { useCallback, useState } from 'react';
import type { StudioError, VersionTrainingComparison } from '../../../../../preload/contract';
import { useStudioEvent } from '../../../api/hooks';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';

export interface CompareTrainingArgs {
  versionIds: [number, number];
  presetId: string;
  steps: number;
  seed: number;
}

/** Where a running comparison is: which version trains, how far; then the judging. */
export interface CompareTrainingProgress {
  versionId: number | null;
  /** 0 or 1: the first or the second training. */
  index: number;
  step: number;
  totalSteps: number;
  runId: number | null;
}

export interface CompareTraining {
  running: boolean;
  progress: CompareTrainingProgress | null;
  result: VersionTrainingComparison | null;
  error: StudioError | null;
  start: (args: CompareTrainingArgs) => void;
}

/**
 * Runs runs:compareVersions (one call: two trainings one after the other, then one judge) and
 * follows its runs through the pushed run events of the dataset's two versions meanwhile.
 */
export function useCompareTraining(datasetId: number): CompareTraining {
  const api = useStudio();
  const [args, setArgs] = useState<CompareTrainingArgs | null>(null);
  const [progress, setProgress] = useState<CompareTrainingProgress | null>(null);
  const [result, setResult] = useState<VersionTrainingComparison | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  useStudioEvent('runs:status', (run) => {
    if (!args || run.datasetId !== datasetId) return;
    const index = args.versionIds.indexOf(run.versionId);
    if (index < 0 || (progress?.runId !== run.id && run.status !== 'queued')) return;
    setProgress({
      versionId: run.versionId,
      index,
      step: run.step,
      totalSteps: run.totalSteps,
      runId: run.id,
    });
  });
  useStudioEvent('runs:progress', (p) => {
    if (!args || p.runId !== progress?.runId) return;
    setProgress({ ...progress, step: p.step, totalSteps: p.totalSteps });
  });

  const start = useCallback(
    (next: CompareTrainingArgs) => {
      setArgs(next);
      setResult(null);
      setError(null);
      setProgress({
        versionId: next.versionIds[0],
        index: 0,
        step: 0,
        totalSteps: next.steps,
        runId: null,
      });
      void settle(api.runs.compareVersions({ datasetId, ...next })).then((outcome) => {
        setArgs(null);
        setProgress(null);
        if (outcome.ok) setResult(outcome.value);
        else setError(outcome.error);
      });
    },
    [api, datasetId],
  );

  return { running: args !== null, progress, result, error, start };
}
