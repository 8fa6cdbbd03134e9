import { Badge, Group, Text } from '@mantine/core';
import type { BrowseItem } from '../../../../../preload/contract';
import { formatBytes } from '../../../common/format';
import type { ItemClick } from '../ThumbnailGrid';
import type { ItemWindow } from './useItemWindow';
import { VirtualGrid } from './VirtualGrid';

const ROW_HEIGHT = 72;

/** Line breaks and tabs drawn as visible marks, so a preview shows the text's shape on one line. */
export function visibleWhitespace(text: string): string {
  return text.replace(/\r?\n/g, '↵ ').replace(/\t/g, '⇥ ');
}

function Row({
  index,
  item,
  selected,
  focused,
  onClick,
}: {
  index: number;
  item: BrowseItem;
  selected: boolean;
  focused: boolean;
  onClick: ItemClick;
}) {
  const relabeled = item.included && item.label !== item.originalLabel;
  return (
    <div
      data-testid="text-item"
      data-item-id={item.id}
      data-index={index}
      data-label={item.label ?? ''}
      data-selected={selected || undefined}
      data-included={item.included}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      onClick={(e) => onClick(index, item, e)}
      style={{
        height: ROW_HEIGHT,
        padding: '6px 10px',
        borderRadius: 4,
        cursor: 'pointer',
        overflow: 'hidden',
        opacity: item.included ? 1 : 0.45,
        border: selected
          ? '2px solid var(--mantine-color-indigo-6)'
          : focused
            ? '1px solid var(--mantine-color-indigo-3)'
            : '1px solid var(--mantine-color-gray-3)',
        background: selected ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-white)',
      }}
    >
      <Group gap={6} wrap="nowrap" mb={2}>
        {item.label !== null && (
          <Badge size="xs" variant="light" color={relabeled ? 'orange' : 'gray'}>
            {relabeled ? `${item.originalLabel ?? '∅'}→${item.label}` : item.label}
          </Badge>
        )}
        {!item.included && (
          <Badge size="xs" color="red" variant="light">
            excluded
          </Badge>
        )}
        {item.split === 'validation' && (
          <Badge size="xs" color="teal" variant="light">
            val
          </Badge>
        )}
        <Text size="xs" c="dimmed" truncate="start" style={{ flex: 1 }}>
          <span dir="ltr">{item.sourcePath}</span>
        </Text>
        <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
          {formatBytes(item.byteSize)}
        </Text>
      </Group>
      <Text size="sm" ff="monospace" lineClamp={2} data-testid="text-item-preview">
        {visibleWhitespace(item.preview ?? '')}
      </Text>
    </div>
  );
}

/** The version's texts as a windowed list with a preview of each. */
export function TextItemList({
  items,
  selected,
  focusedId,
  onItemClick,
  height = 560,
}: {
  items: ItemWindow;
  selected: ReadonlySet<number>;
  focusedId: number | null;
  onItemClick: ItemClick;
  height?: number;
}) {
  const { total, itemAt, ensureRange } = items;
  return (
    <div>
      <VirtualGrid
        testId="text-item-list"
        count={total ?? 0}
        cellWidth={null}
        cellHeight={ROW_HEIGHT}
        gap={6}
        height={height}
        onRangeChange={ensureRange}
        renderCell={(index) => {
          const item = itemAt(index);
          return item ? (
            <Row
              key={item.id}
              index={index}
              item={item}
              selected={selected.has(item.id)}
              focused={focusedId === item.id}
              onClick={onItemClick}
            />
          ) : (
            <div key={`pending-${index}`} style={{ height: ROW_HEIGHT }} />
          );
        }}
      />
      {total !== null && (
        <Text size="sm" c="dimmed" mt="xs" data-testid="text-item-count">
          {total === 0 ? 'No items match.' : `${total} item${total === 1 ? '' : 's'}`}
        </Text>
      )}
    </div>
  );
}
