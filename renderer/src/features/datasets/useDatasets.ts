import { useCallback, useEffect, useState } from 'react';
import type { ItemView, StudioError } from '../../../../preload/contract';
import { useOutcome, useStudioEvent } from '../../api/hooks';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';

export function useDatasetList() {
  const api = useStudio();
  const load = useCallback(() => api.datasets.list({}), [api]);
  const state = useOutcome(load);
  useStudioEvent('datasets:changed', state.reload);
  return state;
}

export function useDatasetDetail(datasetId: number) {
  const api = useStudio();
  const load = useCallback(() => api.datasets.get({ datasetId }), [api, datasetId]);
  const state = useOutcome(load);
  useStudioEvent('datasets:changed', (e) => {
    if (e.datasetId === datasetId) state.reload();
  });
  return state;
}

export interface ItemsState {
  items: ItemView[];
  total: number | null;
  loading: boolean;
  error: StudioError | null;
  loadMore: () => void;
  hasMore: boolean;
}

interface Pages {
  /** Which list these pages belong to; pages of another list are never shown. */
  key: string;
  items: ItemView[];
  total: number | null;
  error: StudioError | null;
}

/** Pages through a dataset's items, appending each page ("load more"). */
export function useDatasetItems(datasetId: number, pageSize: number, version: unknown): ItemsState {
  const api = useStudio();
  const key = `${datasetId}:${String(version)}`;
  const [pages, setPages] = useState<Pages | null>(null);
  const [pendingMore, setPendingMore] = useState(false);

  const fetchPage = useCallback(
    (offset: number) => settle(api.datasets.items({ datasetId, offset, limit: pageSize })),
    [api, datasetId, pageSize],
  );

  useEffect(() => {
    let live = true;
    void fetchPage(0).then((page) => {
      if (!live) return;
      setPages(
        page.ok
          ? { key, items: page.value.items, total: page.value.total, error: null }
          : { key, items: [], total: null, error: page.error },
      );
    });
    return () => {
      live = false;
    };
  }, [fetchPage, key]);

  const current = pages?.key === key ? pages : null;
  const items = current?.items ?? [];

  const loadMore = useCallback(() => {
    if (pendingMore) return;
    setPendingMore(true);
    const offset = items.length;
    void fetchPage(offset).then((page) => {
      setPendingMore(false);
      setPages((prev) => {
        // A page for a list that has since been replaced, or a page already appended, is dropped.
        if (!prev || prev.key !== key || prev.items.length !== offset) return prev;
        return page.ok
          ? {
              ...prev,
              items: [...prev.items, ...page.value.items],
              total: page.value.total,
              error: null,
            }
          : { ...prev, error: page.error };
      });
    });
  }, [fetchPage, items.length, key, pendingMore]);

  const total = current?.total ?? null;
  return {
    items,
    total,
    loading: current === null || pendingMore,
    error: current?.error ?? null,
    loadMore,
    hasMore: total !== null && items.length < total,
  };
}
