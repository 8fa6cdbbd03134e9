import type { MouseEvent } from 'react';
import { useStudio } from '../../api/StudioContext';
import { formatBytes } from '../../common/format';
import { ItemWindowGrid, type ItemCellProps, type ItemViewProps } from './browse/ItemWindowGrid';

const TILE = 96;
/** What stands in for a tile whose page has not arrived. */
const PENDING_TILE = {
  width: TILE,
  height: TILE,
  borderRadius: 4,
  background: 'var(--mantine-color-gray-1)',
};

function Tile({ index, item, selected, focused, onClick }: ItemCellProps) {
  const { shell } = useStudio();
  const relabeled = item.included && item.label !== item.originalLabel;
  const label = item.label ?? '(unlabeled)';
  return (
    <div
      data-testid="thumbnail-tile"
      data-item-id={item.id}
      data-index={index}
      data-label={item.label ?? ''}
      data-selected={selected || undefined}
      data-included={item.included}
      data-split={item.split ?? 'excluded'}
      role="button"
      tabIndex={0}
      aria-pressed={selected}
      onClick={(e) => onClick(index, item, e)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onClick(index, item, e as unknown as MouseEvent);
        }
      }}
      title={`${item.sourcePath}\n${label} · ${item.width}×${item.height} ${item.format} · ${formatBytes(item.byteSize)}`}
      style={{
        position: 'relative',
        width: TILE,
        height: TILE,
        borderRadius: 4,
        cursor: 'pointer',
        outline: selected
          ? '3px solid var(--mantine-color-indigo-6)'
          : focused
            ? '2px solid var(--mantine-color-indigo-3)'
            : undefined,
        outlineOffset: -1,
        background: 'var(--mantine-color-gray-2)',
        overflow: 'hidden',
      }}
    >
      <img
        data-testid="thumbnail"
        data-label={item.label ?? ''}
        src={shell.mediaUrl('thumb', item.blobSha)}
        alt={item.sourcePath}
        draggable={false}
        style={{
          width: '100%',
          height: '100%',
          objectFit: 'cover',
          imageRendering: item.width <= 64 ? 'pixelated' : 'auto',
          opacity: item.included ? 1 : 0.3,
        }}
      />
      <span
        style={{
          position: 'absolute',
          left: 3,
          bottom: 3,
          padding: '0 4px',
          borderRadius: 3,
          fontSize: 11,
          lineHeight: '16px',
          maxWidth: TILE - 6,
          overflow: 'hidden',
          textOverflow: 'ellipsis',
          whiteSpace: 'nowrap',
          color: 'white',
          background: relabeled ? 'var(--mantine-color-orange-7)' : 'rgba(0, 0, 0, 0.55)',
        }}
      >
        {relabeled ? `${item.originalLabel ?? '∅'}→${label}` : label}
      </span>
      {!item.included && (
        <span style={badgeStyle('var(--mantine-color-red-7)')} data-testid="tile-excluded">
          excluded
        </span>
      )}
      {item.split === 'validation' && (
        <span style={badgeStyle('var(--mantine-color-teal-7)')}>val</span>
      )}
    </div>
  );
}

function badgeStyle(background: string) {
  return {
    position: 'absolute' as const,
    right: 3,
    top: 3,
    padding: '0 4px',
    borderRadius: 3,
    fontSize: 10,
    lineHeight: '15px',
    color: 'white',
    background,
  };
}

/** The version's images as a windowed grid of thumbnails; click selects, shift-click a range. */
export function ThumbnailGrid(props: ItemViewProps) {
  return (
    <ItemWindowGrid
      {...props}
      testId="thumbnail-grid"
      countTestId="thumbnail-count"
      cellWidth={TILE}
      cellHeight={TILE}
      Cell={Tile}
      placeholder={PENDING_TILE}
    />
  );
}
