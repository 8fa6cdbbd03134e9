import { Button, Center, Group, Loader, Text } from '@mantine/core';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatBytes } from '../../common/format';
import { useStudio } from '../../api/StudioContext';
import { useDatasetItems } from './useDatasets';

const PAGE_SIZE = 60;
const TILE = 96;

export function ThumbnailGrid({ datasetId, version }: { datasetId: number; version: unknown }) {
  const { shell } = useStudio();
  const { items, total, loading, error, loadMore, hasMore } = useDatasetItems(
    datasetId,
    PAGE_SIZE,
    version,
  );

  return (
    <div>
      <ErrorAlert error={error} title="Could not load the images" onRetry={loadMore} />
      <div
        data-testid="thumbnail-grid"
        style={{
          display: 'grid',
          gridTemplateColumns: `repeat(auto-fill, minmax(${TILE}px, 1fr))`,
          gap: 8,
        }}
      >
        {items.map((item) => (
          <img
            key={item.id}
            data-testid="thumbnail"
            data-label={item.label ?? ''}
            src={shell.mediaUrl('thumb', item.blobSha)}
            alt={item.sourcePath}
            title={`${item.sourcePath}\n${item.label ?? '(unlabeled)'} · ${item.width}×${item.height} ${item.format} · ${formatBytes(item.byteSize)}`}
            loading="lazy"
            style={{
              width: '100%',
              aspectRatio: '1',
              objectFit: 'cover',
              borderRadius: 4,
              background: 'var(--mantine-color-gray-2)',
              imageRendering: item.width <= 64 ? 'pixelated' : 'auto',
            }}
          />
        ))}
      </div>
      {items.length === 0 && loading && (
        <Center p="md">
          <Loader size="sm" />
        </Center>
      )}
      {total === 0 && (
        <Text c="dimmed" size="sm">
          This dataset has no images.
        </Text>
      )}
      {total !== null && total > 0 && (
        <Group justify="space-between" mt="sm">
          <Text size="sm" c="dimmed" data-testid="thumbnail-count">
            Showing {items.length} of {total}
          </Text>
          {hasMore && (
            <Button
              variant="default"
              size="xs"
              onClick={loadMore}
              loading={loading}
              data-testid="thumbnails-load-more"
            >
              Load more
            </Button>
          )}
        </Group>
      )}
    </div>
  );
}
