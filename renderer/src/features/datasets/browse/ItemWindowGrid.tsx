import { Text } from '@mantine/core';
import type { ComponentType, CSSProperties, MouseEvent } from 'react';
import type { BrowseItem } from '../../../../../preload/contract';
import type { ItemWindow } from './useItemWindow';
import { VirtualGrid } from './VirtualGrid';

export type ItemClick = (index: number, item: BrowseItem, event: MouseEvent) => void;

/** What one item's cell (a thumbnail tile, a text row) is given. */
export interface ItemCellProps {
  index: number;
  item: BrowseItem;
  selected: boolean;
  focused: boolean;
  onClick: ItemClick;
}

/** What a view of the version's items takes from the browser. */
export interface ItemViewProps {
  items: ItemWindow;
  selected: ReadonlySet<number>;
  focusedId: number | null;
  onItemClick: ItemClick;
  height?: number;
}

/**
 * The version's items as a windowed grid (or list, when `cellWidth` is null) of `Cell`s, loading
 * pages as they scroll into view, with the item count below; `placeholder` stands in for an item
 * whose page has not arrived yet.
 */
export function ItemWindowGrid({
  items,
  selected,
  focusedId,
  onItemClick,
  height = 560,
  testId,
  countTestId,
  cellWidth,
  cellHeight,
  gap,
  Cell,
  placeholder,
}: ItemViewProps & {
  testId: string;
  countTestId: string;
  cellWidth: number | null;
  cellHeight: number;
  gap?: number;
  Cell: ComponentType<ItemCellProps>;
  placeholder: CSSProperties;
}) {
  const { total, itemAt, ensureRange } = items;
  return (
    <div>
      <VirtualGrid
        testId={testId}
        count={total ?? 0}
        cellWidth={cellWidth}
        cellHeight={cellHeight}
        {...(gap === undefined ? {} : { gap })}
        height={height}
        onRangeChange={ensureRange}
        renderCell={(index) => {
          const item = itemAt(index);
          return item ? (
            <Cell
              key={item.id}
              index={index}
              item={item}
              selected={selected.has(item.id)}
              focused={focusedId === item.id}
              onClick={onItemClick}
            />
          ) : (
            <div key={`pending-${index}`} style={placeholder} />
          );
        }}
      />
      {total !== null && (
        <Text size="sm" c="dimmed" mt="xs" data-testid={countTestId}>
          {total === 0 ? 'No items match.' : `${total} item${total === 1 ? '' : 's'}`}
        </Text>
      )}
    </div>
  );
}
