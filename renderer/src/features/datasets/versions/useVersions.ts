import { useCallback, useState } from 'react';
import type {
  ItemEdit,
  Outcome,
  Preprocessing,
  StudioError,
  VersionSummary,
} from '../../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../../api/hooks';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';

/**
 * A version with its settings, classes and labels. Versions never change, so there is nothing to
 * reload: a change to the dataset is a new version, asked for by its new id.
 */
export function useVersionDetail(versionId: number | null) {
  const api = useStudio();
  const load = useCallback(
    () => api.datasets.getVersion({ versionId: versionId as number }),
    [api, versionId],
  );
  return useOutcome(versionId === null ? null : load);
}

export function useVersionList(datasetId: number) {
  const api = useStudio();
  const load = useCallback(() => api.datasets.versions({ datasetId }), [api, datasetId]);
  const state = useOutcome(load);
  useStudioEvent('datasets:changed', (e) => {
    if (e.datasetId === datasetId) state.reload();
  });
  return state;
}

export interface VersionActions {
  pending: string | null;
  error: StudioError | null;
  dismiss: () => void;
  /** Each resolves to the new version, or null when it failed (the error is in `error`). */
  edit: (itemIds: number[], edit: ItemEdit) => Promise<VersionSummary | null>;
  undo: () => Promise<VersionSummary | null>;
  restore: (versionId: number) => Promise<VersionSummary | null>;
  setPreprocessing: (preprocessing: Preprocessing) => Promise<VersionSummary | null>;
}

/**
 * Changes to a dataset, each made on the version the person is looking at (`baseVersionId`): if
 * someone else changed the dataset meanwhile the core refuses, and the message says so.
 */
export function useVersionActions(datasetId: number, baseVersionId: number | null): VersionActions {
  const api = useStudio();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<StudioError | null>(null);

  const run = useCallback(
    async (
      what: string,
      call: (base: number) => Promise<Outcome<VersionSummary>>,
    ): Promise<VersionSummary | null> => {
      if (baseVersionId === null) return null;
      setPending(what);
      setError(null);
      const outcome = await settle(call(baseVersionId));
      setPending(null);
      if (!outcome.ok) {
        setError(outcome.error);
        return null;
      }
      return outcome.value;
    },
    [baseVersionId],
  );

  return {
    pending,
    error,
    dismiss: useCallback(() => setError(null), []),
    edit: useCallback(
      (itemIds: number[], edit: ItemEdit) =>
        run(edit.action, (base) =>
          api.datasets.editItems({ datasetId, baseVersionId: base, itemIds, edit }),
        ),
      [api, datasetId, run],
    ),
    undo: useCallback(
      () => run('undo', (base) => api.datasets.undo({ datasetId, baseVersionId: base })),
      [api, datasetId, run],
    ),
    restore: useCallback(
      (versionId: number) =>
        run('restore', (base) =>
          api.datasets.restoreVersion({ datasetId, baseVersionId: base, versionId }),
        ),
      [api, datasetId, run],
    ),
    setPreprocessing: useCallback(
      (preprocessing: Preprocessing) =>
        run('preprocessing', (base) =>
          api.datasets.setPreprocessing({ datasetId, baseVersionId: base, preprocessing }),
        ),
      [api, datasetId, run],
    ),
  };
}
