import { Badge, Card, EmptyState, Group, SimpleGrid, Text } from '@mantine/core';
import type { DatasetSummary } from '../../../../preload/contract';
import { formatDate } from '../../common/format';

export function DatasetList({
  datasets,
  onOpen,
}: {
  datasets: DatasetSummary[];
  onOpen: (datasetId: number) => void;
}) {
  if (datasets.length === 0) {
    return (
      <EmptyState
        data-testid="datasets-empty"
        title="No datasets yet"
        description="Drop a folder of images above (one sub-folder per class) or choose one to import it."
      />
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
      {datasets.map((d) => (
        <Card
          key={d.id}
          data-testid="dataset-card"
          data-dataset-id={d.id}
          withBorder
          padding="md"
          role="button"
          tabIndex={0}
          style={{ cursor: 'pointer' }}
          onClick={() => onOpen(d.id)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' || e.key === ' ') onOpen(d.id);
          }}
        >
          <Group justify="space-between" wrap="nowrap" mb={4}>
            <Text fw={600} truncate>
              {d.name}
            </Text>
            <Badge variant="light" color="gray">
              {d.kind}
            </Badge>
          </Group>
          <Text size="sm">
            {d.itemCount} items · {d.classCount} {d.classCount === 1 ? 'class' : 'classes'}
          </Text>
          <Text size="xs" c="dimmed" truncate="start" title={d.sourcePath}>
            {/* Start-truncation works by right-to-left layout; this keeps the path itself LTR. */}
            <span dir="ltr">{d.sourcePath}</span>
          </Text>
          <Text size="xs" c="dimmed">
            Imported {formatDate(d.createdAt)}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}
