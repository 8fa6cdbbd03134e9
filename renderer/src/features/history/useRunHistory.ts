import { useCallback, useState } from 'react';
import type {
  CallArgs,
  Outcome,
  RunDeletion,
  RunSummary,
  StudioError,
} from '../../../../preload/contract';
import { useOutcome } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { DEFAULT_COLUMNS, type ColumnId } from './runTableModel';

const COLUMNS_KEY = 'studio.runs.columns';

function storedColumns(): ColumnId[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(COLUMNS_KEY) ?? 'null');
    if (Array.isArray(parsed) && parsed.every((c) => typeof c === 'string'))
      return parsed as ColumnId[];
  } catch {
    // A damaged entry is replaced by the defaults below.
  }
  return DEFAULT_COLUMNS;
}

/** The columns a person chose for the runs table, remembered across sessions. */
export function useRunColumns(): [ColumnId[], (columns: ColumnId[]) => void] {
  const [columns, setColumns] = useState<ColumnId[]>(storedColumns);
  const choose = useCallback((next: ColumnId[]) => {
    setColumns(next);
    window.localStorage.setItem(COLUMNS_KEY, JSON.stringify(next));
  }, []);
  return [columns, choose];
}

/** Naming, tagging, archiving and deleting runs; each answer updates the caller's list. */
export function useRunHistoryActions(
  onChanged: (runs: RunSummary[]) => void,
  onDeleted: () => void,
) {
  const api = useStudio();
  const [error, setError] = useState<StudioError | null>(null);
  const [pending, setPending] = useState(false);

  const run = useCallback(async <T>(work: Promise<Outcome<T>>): Promise<T | null> => {
    setPending(true);
    const outcome = await settle(work);
    setPending(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return null;
    }
    setError(null);
    return outcome.value;
  }, []);

  const annotate = useCallback(
    async (args: CallArgs<'runs:annotate'>) => {
      const changed = await run(api.runs.annotate(args));
      if (changed) onChanged([changed]);
      return changed;
    },
    [api, run, onChanged],
  );
  const archive = useCallback(
    async (runIds: number[], archived: boolean) => {
      const changed = await run(api.runs.archive({ runIds, archived }));
      if (changed) onChanged(changed);
    },
    [api, run, onChanged],
  );
  const previewDelete = useCallback(
    (runIds: number[]) => run(api.runs.deletePreview({ runIds })),
    [api, run],
  );
  const remove = useCallback(
    async (runIds: number[]): Promise<RunDeletion | null> => {
      const done = await run(api.runs.delete({ runIds }));
      if (done) onDeleted();
      return done;
    },
    [api, run, onDeleted],
  );
  return {
    annotate,
    archive,
    previewDelete,
    remove,
    pending,
    error,
    clearError: () => setError(null),
  };
}

export function useRunComparison(runIds: number[]) {
  const api = useStudio();
  const key = runIds.join(',');
  const load = useCallback(
    () => api.runs.compare({ runIds: key.split(',').map(Number) }),
    [api, key],
  );
  return useOutcome(load);
}

/** The stored detail (config, every metric point) of several runs, for overlaid curves. */
export function useRunDetails(runIds: number[]) {
  const api = useStudio();
  const key = runIds.join(',');
  const load = useCallback(async () => {
    const outcomes = await Promise.all(
      key.split(',').map((id) => settle(api.runs.get({ runId: Number(id) }))),
    );
    const failed = outcomes.find((o) => !o.ok);
    if (failed && !failed.ok) return failed;
    return { ok: true as const, value: outcomes.flatMap((o) => (o.ok ? [o.value] : [])) };
  }, [api, key]);
  return useOutcome(load);
}
