import type { BrowseItem, ItemFilter, ItemSort } from '../../../../../preload/contract';
import { settle } from '../../../api/studio';
import { useStudio } from '../../../api/StudioContext';
import { usePagedWindow, type PagedWindow } from '../../../common/usePagedWindow';

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

export interface ItemWindow extends Omit<PagedWindow<BrowseItem>, 'rowAt'> {
  itemAt: (index: number) => BrowseItem | undefined;
}

/**
 * A version's items, fetched page by page as the grid scrolls to them. After a change (a new
 * version of the same list) the old pages stay on screen until the new ones arrive, so the grid
 * keeps its place: the list is the query without its version.
 */
export function useItemWindow(query: BrowseQuery): ItemWindow {
  const api = useStudio();
  const { rowAt, ...window } = usePagedWindow<BrowseItem>({
    key: JSON.stringify(query),
    listKey: JSON.stringify({ ...query, versionId: 0 }),
    pageSize: BROWSE_PAGE,
    fetchPage: async (offset, limit) => {
      const outcome = await settle(api.datasets.browse({ ...query, offset, limit }));
      return outcome.ok
        ? { ok: true, value: { total: outcome.value.total, rows: outcome.value.items } }
        : outcome;
    },
  });
  return { ...window, itemAt: rowAt };
}
