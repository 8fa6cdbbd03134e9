import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Outcome, StudioError } from '../../../preload/contract';
import { pagesCovering } from '../features/datasets/browse/virtualWindow';

/** One page as a paged call answers it. */
export interface PageAnswer<T> {
  total: number;
  rows: T[];
}

export interface PagedWindow<T> {
  total: number | null;
  rowAt: (index: number) => T | undefined;
  /** Fetches the pages holding [start, end) that are not there yet. */
  ensureRange: (start: number, end: number) => void;
  error: StudioError | null;
  /** Asks again for the pages that failed. */
  retry: () => void;
}

type Pages<T> = Map<number, T[]>;

interface Loaded<T> {
  /** The query these pages answer. */
  key: string;
  listKey: string;
  total: number | null;
  pages: Pages<T>;
  /** The previous query's pages of the same list, shown until the new ones arrive. */
  stale: Pages<T> | null;
  error: StudioError | null;
}

/**
 * Rows of a long list (a version's items, the gallery's samples) fetched page by page as a
 * windowed grid scrolls to them, so 20,000 rows never load more than what has been on screen.
 * `key` names the query (a new key fetches anew); queries sharing a `listKey` are the same list,
 * perhaps one change older, so the old pages stay on screen until the new ones arrive and the grid
 * keeps its place. `fetchPage` is read when a page is fetched, so it need not be memoised.
 */
export function usePagedWindow<T>({
  key,
  listKey,
  pageSize,
  fetchPage: fetchRows,
}: {
  key: string;
  listKey: string;
  pageSize: number;
  fetchPage: (offset: number, limit: number) => Promise<Outcome<PageAnswer<T>>>;
}): PagedWindow<T> {
  const [loaded, setLoaded] = useState<Loaded<T> | null>(null);
  const requested = useRef(new Set<string>());
  const lastRange = useRef<[number, number]>([0, 0]);
  // The newest fetcher, set before any effect (and so any fetch) of this render runs.
  const fetcher = useRef(fetchRows);
  useLayoutEffect(() => {
    fetcher.current = fetchRows;
  });

  const fetchPage = useCallback(
    (page: number) => {
      const tag = `${key}#${page}`;
      if (requested.current.has(tag)) return;
      requested.current.add(tag);
      void fetcher.current(page * pageSize, pageSize).then((outcome) => {
        // A failed page may be asked for again.
        if (!outcome.ok) requested.current.delete(tag);
        setLoaded((prev) => {
          const base: Loaded<T> =
            prev?.key === key
              ? prev
              : {
                  key,
                  listKey,
                  total: null,
                  pages: new Map(),
                  stale: prev?.listKey === listKey ? prev.pages : null,
                  error: null,
                };
          if (!outcome.ok) return { ...base, error: outcome.error };
          const pages = new Map(base.pages);
          pages.set(page, outcome.value.rows);
          return { ...base, total: outcome.value.total, pages, error: null };
        });
      });
    },
    [key, listKey, pageSize],
  );

  // A new query fetches its first page and the pages on screen (they would otherwise keep the
  // previous query's rows until scrolled).
  useEffect(() => {
    fetchPage(0);
    const [start, end] = lastRange.current;
    for (const page of pagesCovering(start, end, pageSize)) fetchPage(page);
  }, [fetchPage, pageSize]);

  // This query's pages, or while they load, the previous query's pages of the same list.
  const shown = loaded && (loaded.key === key || loaded.listKey === listKey) ? loaded : null;
  const current = shown?.key === key;
  const pages = shown?.pages;
  const stale = current ? shown?.stale : null;

  const rowAt = useCallback(
    (index: number) => {
      const page = Math.floor(index / pageSize);
      return (pages?.get(page) ?? stale?.get(page))?.[index % pageSize];
    },
    [pages, stale, pageSize],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      for (const page of pagesCovering(start, end, pageSize)) fetchPage(page);
    },
    [fetchPage, pageSize],
  );

  // Failed pages were forgotten, so asking for what is on screen again fetches just those.
  const retry = useCallback(() => {
    fetchPage(0);
    ensureRange(...lastRange.current);
  }, [ensureRange, fetchPage]);

  return {
    total: shown?.total ?? null,
    rowAt,
    ensureRange,
    error: current ? (shown?.error ?? null) : null,
    retry,
  };
}
