import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  GallerySample,
  SampleFilters,
  SampleGroups,
  StudioError,
} from '../../../../preload/contract';
import { useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { usePagedWindow, type PagedWindow } from '../../common/usePagedWindow';

/** Samples fetched per call: a few screens of tiles. */
export const SAMPLE_PAGE = 200;

// Samples arrive in bursts (a grid per sampling step); one re-read per burst is enough.
const REFRESH_DEBOUNCE_MS = 300;

export interface SampleWindow extends Omit<PagedWindow<GallerySample>, 'rowAt'> {
  sampleAt: (index: number) => GallerySample | undefined;
  /** Where the (run, step) groups start, for the grid's header rows; null until they arrive. */
  groups: SampleGroups | null;
  /** Reads the pages again (after an evaluation added samples and their evidence). */
  refresh: () => void;
}

/**
 * The gallery's samples, fetched page by page (`samples:query`, nearest training items included)
 * as the grid scrolls to them, and the groups they fall in (`samples:groups`, one cheap call per
 * query). New samples re-read both; every query is one list, so the previous pages and groups stay
 * on screen until the new ones arrive.
 */
export function useSampleWindow(filters: SampleFilters): SampleWindow {
  const api = useStudio();
  const [generation, setGeneration] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const key = `${JSON.stringify(filters)}@${generation}`;
  const { rowAt, ...window } = usePagedWindow<GallerySample>({
    key,
    listKey: 'gallery',
    pageSize: SAMPLE_PAGE,
    fetchPage: async (offset, limit) => {
      const outcome = await settle(api.samples.query({ ...filters, offset, limit }));
      return outcome.ok
        ? { ok: true, value: { total: outcome.value.total, rows: outcome.value.samples } }
        : outcome;
    },
  });

  // The groups of this query; the previous query's are kept (and shown) until these arrive.
  const [groups, setGroups] = useState<{ key: string; groups: SampleGroups } | null>(null);
  const [groupsError, setGroupsError] = useState<{ key: string; error: StudioError } | null>(null);
  const [groupsAttempt, setGroupsAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    void settle(api.samples.groups(filters)).then((outcome) => {
      if (!live) return;
      if (outcome.ok) {
        setGroups({ key, groups: outcome.value });
        setGroupsError(null);
      } else setGroupsError({ key, error: outcome.error });
    });
    return () => {
      live = false;
    };
    // `key` names the filters and the generation; the page passes its filters memoised.
  }, [api, filters, key, groupsAttempt]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const { retry: retryPages } = window;
  const retry = useCallback(() => {
    retryPages();
    setGroupsAttempt((n) => n + 1);
  }, [retryPages]);
  useStudioEvent('samples:added', () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(refresh, REFRESH_DEBOUNCE_MS);
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  return {
    ...window,
    error: window.error ?? (groupsError?.key === key ? groupsError.error : null),
    retry,
    sampleAt: rowAt,
    groups: groups?.groups ?? null,
    refresh,
  };
}
