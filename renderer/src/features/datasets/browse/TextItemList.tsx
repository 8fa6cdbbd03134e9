import { Badge, Group, Text } from '@mantine/core';
import { formatBytes } from '../../../common/format';
import { ItemWindowGrid, type ItemCellProps, type ItemViewProps } from './ItemWindowGrid';

const ROW_HEIGHT = 72;

/** Line breaks and tabs drawn as visible marks, so a preview shows the text's shape on one line. */
export function visibleWhitespace(text: string): string {
  return text.replace(/\r?\n/g, '↵ ').replace(/\t/g, '⇥ ');
}

function Row({ index, item, selected, focused, onClick }: ItemCellProps) {
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
export function TextItemList(props: ItemViewProps) {
  return (
    <ItemWindowGrid
      {...props}
      testId="text-item-list"
      countTestId="text-item-count"
      cellWidth={null}
      cellHeight={ROW_HEIGHT}
      gap={6}
      Cell={Row}
      placeholder={{ height: ROW_HEIGHT }}
    />
  );
}
