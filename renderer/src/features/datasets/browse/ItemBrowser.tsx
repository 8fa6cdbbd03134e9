import { Grid, Stack } from '@mantine/core';
import { useCallback, useEffect, useMemo, useState, type MouseEvent } from 'react';
import type {
  BrowseItem,
  DatasetKind,
  ItemEdit,
  VersionDetail,
} from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { ThumbnailGrid } from '../ThumbnailGrid';
import type { VersionActions } from '../versions/useVersions';
import { BrowseToolbar, type BrowseControls } from './BrowseToolbar';
import { ItemDetailPanel } from './ItemDetailPanel';
import { SelectionBar } from './SelectionBar';
import { TextItemList } from './TextItemList';
import { useItemWindow } from './useItemWindow';

/**
 * Browsing and curating the newest version: filter, sort, select (click, ctrl-click, shift-click),
 * see an item in full, and exclude, include or relabel the selection.
 */
export function ItemBrowser({
  datasetId,
  kind,
  version,
  actions,
  controls,
  onControlsChange,
}: {
  datasetId: number;
  kind: DatasetKind;
  version: VersionDetail;
  actions: VersionActions;
  controls: BrowseControls;
  onControlsChange: (next: BrowseControls) => void;
}) {
  const query = useMemo(
    () => ({
      datasetId,
      versionId: version.id,
      ...(controls.labelFilter.kind === 'label' ? { label: controls.labelFilter.label } : {}),
      filter: controls.filter,
      sort: controls.sort,
      descending: controls.descending,
    }),
    [datasetId, version.id, controls],
  );
  const items = useItemWindow(query);
  const [selected, setSelected] = useState<Map<number, BrowseItem>>(new Map());
  const [anchor, setAnchor] = useState<number | null>(null);
  const [focused, setFocused] = useState<BrowseItem | null>(null);

  // The same item in a newer version may have another label or split; show the fresh copy.
  const { itemAt, total } = items;
  const fresh = useMemo(() => {
    if (!focused || total === null) return focused;
    for (let i = 0; i < total; i++) {
      const item = itemAt(i);
      if (item?.id === focused.id) return item;
    }
    return focused;
  }, [focused, itemAt, total]);

  const clearSelection = useCallback(() => {
    setSelected(new Map());
    setAnchor(null);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') clearSelection();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clearSelection]);

  const onItemClick = useCallback(
    (index: number, item: BrowseItem, event: MouseEvent) => {
      setFocused(item);
      setSelected((prev) => {
        const next = new Map(prev);
        if (event.shiftKey && anchor !== null) {
          for (let i = Math.min(anchor, index); i <= Math.max(anchor, index); i++) {
            const inRange = itemAt(i);
            if (inRange) next.set(inRange.id, inRange);
          }
          return next;
        }
        if (next.has(item.id)) next.delete(item.id);
        else next.set(item.id, item);
        return next;
      });
      if (!event.shiftKey) setAnchor(index);
    },
    [anchor, itemAt],
  );

  const onEdit = useCallback(
    async (edit: ItemEdit) => {
      const made = await actions.edit([...selected.keys()], edit);
      if (made) clearSelection();
    },
    [actions, clearSelection, selected],
  );

  const listProps = {
    items,
    selected: new Set(selected.keys()),
    focusedId: fresh?.id ?? null,
    onItemClick,
  };

  return (
    <Stack gap="sm" data-testid="item-browser">
      <BrowseToolbar
        controls={controls}
        labels={version.labels}
        isText={kind === 'text'}
        onChange={(next) => {
          onControlsChange(next);
          clearSelection();
        }}
      />
      <ErrorAlert error={items.error} title="Could not load the items" onRetry={items.retry} />
      <ErrorAlert error={actions.error} title="The change was not made" onClose={actions.dismiss} />
      {selected.size > 0 && (
        <SelectionBar
          selected={[...selected.values()]}
          labels={version.labels}
          pending={actions.pending}
          onEdit={(edit) => void onEdit(edit)}
          onClear={clearSelection}
        />
      )}
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 8 }}>
          {kind === 'text' ? <TextItemList {...listProps} /> : <ThumbnailGrid {...listProps} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ItemDetailPanel item={fresh} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
