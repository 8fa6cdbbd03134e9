import { useCallback, useEffect, useRef, useState } from 'react';
import type { GallerySample, SampleQuery, StudioError } from '../../../../preload/contract';
import { useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { pagesCovering } from '../datasets/browse/virtualWindow';

/** Samples fetched per call: a few screens of tiles. */
export const SAMPLE_PAGE = 200;

// Samples arrive in bursts (a grid per sampling step); one re-read per burst is enough.
const REFRESH_DEBOUNCE_MS = 300;

type Filters = Omit<SampleQuery, 'offset' | 'limit'>;

interface Loaded {
  key: string;
  total: number | null;
  pages: Map<number, GallerySample[]>;
  error: StudioError | null;
}

export interface SampleWindow {
  total: number | null;
  sampleAt: (index: number) => GallerySample | undefined;
  ensureRange: (start: number, end: number) => void;
  error: StudioError | null;
  retry: () => void;
}

/**
 * The gallery's samples, fetched page by page (`samples:query`) as the grid scrolls to them, so
 * 20,000 samples never load more than what has been on screen. New samples re-read the pages.
 */
export function useSampleWindow(filters: Filters): SampleWindow {
  const api = useStudio();
  const [generation, setGeneration] = useState(0);
  const key = `${JSON.stringify(filters)}@${generation}`;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const requested = useRef(new Set<string>());
  const lastRange = useRef<[number, number]>([0, 0]);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const fetchPage = useCallback(
    (page: number) => {
      const tag = `${key}#${page}`;
      if (requested.current.has(tag)) return;
      requested.current.add(tag);
      const wanted = JSON.parse(key.slice(0, key.lastIndexOf('@'))) as Filters;
      const args = { ...wanted, offset: page * SAMPLE_PAGE, limit: SAMPLE_PAGE };
      void settle(api.samples.query(args)).then((outcome) => {
        if (!outcome.ok) requested.current.delete(tag);
        setLoaded((prev) => {
          // The previous pages stay on screen until this query's first page arrives.
          const base: Loaded =
            prev?.key === key ? prev : { key, total: null, pages: new Map(), error: null };
          if (!outcome.ok) return { ...base, error: outcome.error };
          const pages = new Map(base.pages);
          pages.set(page, outcome.value.samples);
          return { ...base, total: outcome.value.total, pages, error: null };
        });
      });
    },
    [api, key],
  );

  useEffect(() => {
    fetchPage(0);
    const [start, end] = lastRange.current;
    for (const page of pagesCovering(start, end, SAMPLE_PAGE)) fetchPage(page);
  }, [fetchPage]);

  useStudioEvent('samples:added', () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setGeneration((g) => g + 1), REFRESH_DEBOUNCE_MS);
  });
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const pages = loaded?.pages;
  const sampleAt = useCallback(
    (index: number) => pages?.get(Math.floor(index / SAMPLE_PAGE))?.[index % SAMPLE_PAGE],
    [pages],
  );
  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      for (const page of pagesCovering(start, end, SAMPLE_PAGE)) fetchPage(page);
    },
    [fetchPage],
  );
  const retry = useCallback(() => {
    fetchPage(0);
    ensureRange(...lastRange.current);
  }, [ensureRange, fetchPage]);

  return {
    total: loaded?.total ?? null,
    sampleAt,
    ensureRange,
    error: loaded?.error ?? null,
    retry,
  };
}
