import { useCallback, useEffect, useRef, useState } from 'react';
import type { GallerySample, SampleQuery } from '../../../../preload/contract';
import { useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { usePagedWindow, type PagedWindow } from '../../common/usePagedWindow';

/** Samples fetched per call: a few screens of tiles. */
export const SAMPLE_PAGE = 200;

// Samples arrive in bursts (a grid per sampling step); one re-read per burst is enough.
const REFRESH_DEBOUNCE_MS = 300;

type Filters = Omit<SampleQuery, 'offset' | 'limit'>;

export interface SampleWindow extends Omit<PagedWindow<GallerySample>, 'rowAt'> {
  sampleAt: (index: number) => GallerySample | undefined;
  /** Reads the pages again (after an evaluation added samples and their evidence). */
  refresh: () => void;
}

/**
 * The gallery's samples, fetched page by page (`samples:query`, nearest training items included)
 * as the grid scrolls to them. New samples re-read the pages; every query is one list, so the
 * previous pages stay on screen until the new ones arrive.
 */
export function useSampleWindow(filters: Filters): SampleWindow {
  const api = useStudio();
  const [generation, setGeneration] = useState(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const { rowAt, ...window } = usePagedWindow<GallerySample>({
    key: `${JSON.stringify(filters)}@${generation}`,
    listKey: 'gallery',
    pageSize: SAMPLE_PAGE,
    fetchPage: async (offset, limit) => {
      const outcome = await settle(api.samples.query({ ...filters, offset, limit }));
      return outcome.ok
        ? { ok: true, value: { total: outcome.value.total, rows: outcome.value.samples } }
        : outcome;
    },
  });

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
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

  return { ...window, sampleAt: rowAt, refresh };
}
