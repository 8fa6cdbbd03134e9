import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  BrowseItem,
  ItemFilter,
  ItemSort,
  StudioError,
} from '../../../../../preload/contract';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';
import { pagesCovering } from './virtualWindow';

export interface BrowseQuery {
  datasetId: number;
  versionId: number;
  label?: string | null;
  filter: ItemFilter;
  sort: ItemSort;
  descending: boolean;
}

/** Items fetched per call: a few screens of thumbnails. */
export const BROWSE_PAGE = 200;

type Pages = Map<number, BrowseItem[]>;

interface Loaded {
  /** The query these pages answer. */
  key: string;
  /** The same query without the version: the same list, perhaps one change older. */
  listKey: string;
  total: number | null;
  pages: Pages;
  /** The previous version's pages of the same list, shown until the new ones arrive. */
  stale: Pages | null;
  error: StudioError | null;
}

export interface ItemWindow {
  total: number | null;
  itemAt: (index: number) => BrowseItem | undefined;
  /** Fetches the pages holding [start, end) that are not there yet. */
  ensureRange: (start: number, end: number) => void;
  error: StudioError | null;
  retry: () => void;
}

const listKeyOf = (query: BrowseQuery): string => JSON.stringify({ ...query, versionId: 0 });

/**
 * A version's items, fetched page by page as the grid scrolls to them, so a 20,000-item dataset
 * never loads more than what has been on screen. After a change (a new version of the same
 * list) the old pages stay on screen until the new ones arrive, so the grid keeps its place.
 */
export function useItemWindow(query: BrowseQuery): ItemWindow {
  const api = useStudio();
  const key = JSON.stringify(query);
  const listKey = listKeyOf(query);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const requested = useRef(new Set<string>());
  const lastRange = useRef<[number, number]>([0, 0]);

  const fetchPage = useCallback(
    (page: number) => {
      const tag = `${key}#${page}`;
      if (requested.current.has(tag)) return;
      requested.current.add(tag);
      const wanted = JSON.parse(key) as BrowseQuery;
      const args = { ...wanted, offset: page * BROWSE_PAGE, limit: BROWSE_PAGE };
      void settle(api.datasets.browse(args)).then((outcome) => {
        // A failed page may be asked for again.
        if (!outcome.ok) requested.current.delete(tag);
        setLoaded((prev) => {
          const base: Loaded =
            prev?.key === key
              ? prev
              : {
                  key,
                  listKey: listKeyOf(wanted),
                  total: null,
                  pages: new Map(),
                  stale: prev?.listKey === listKeyOf(wanted) ? prev.pages : null,
                  error: null,
                };
          if (!outcome.ok) return { ...base, error: outcome.error };
          const pages = new Map(base.pages);
          pages.set(page, outcome.value.items);
          return { ...base, total: outcome.value.total, pages, error: null };
        });
      });
    },
    [api, key],
  );

  useEffect(() => {
    fetchPage(0);
  }, [fetchPage]);

  // This query's pages, or while they load, the previous version's pages of the same list.
  const shown = loaded && (loaded.key === key || loaded.listKey === listKey) ? loaded : null;
  const current = shown?.key === key;
  const pages = shown?.pages;
  const stale = current ? shown?.stale : null;

  const itemAt = useCallback(
    (index: number) => {
      const page = Math.floor(index / BROWSE_PAGE);
      return (pages?.get(page) ?? stale?.get(page))?.[index % BROWSE_PAGE];
    },
    [pages, stale],
  );

  const ensureRange = useCallback(
    (start: number, end: number) => {
      lastRange.current = [start, end];
      for (const page of pagesCovering(start, end, BROWSE_PAGE)) fetchPage(page);
    },
    [fetchPage],
  );

  // Failed pages were forgotten, so asking for what is on screen again fetches just those.
  const retry = useCallback(() => {
    fetchPage(0);
    ensureRange(...lastRange.current);
  }, [ensureRange, fetchPage]);

  return {
    total: shown?.total ?? null,
    itemAt,
    ensureRange,
    error: current ? (shown?.error ?? null) : null,
    retry,
  };
}
