import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import type { DatasetDetail } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatDate } from '../../common/format';
import { SkippedFilesTable } from './SkippedFilesTable';
import { ThumbnailGrid } from './ThumbnailGrid';
import { useDatasetDetail } from './useDatasets';

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600} size="lg" component="div">
        {children}
      </Text>
    </div>
  );
}

function ClassTable({ dataset }: { dataset: DatasetDetail }) {
  if (dataset.classes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No items were imported.
      </Text>
    );
  }
  return (
    <Table verticalSpacing={6} fz="sm" data-testid="class-table">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Class</Table.Th>
          <Table.Th ta="right">Items</Table.Th>
          <Table.Th w="40%">Share</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {dataset.classes.map((c) => {
          const label = c.label ?? '(unlabeled)';
          const share = dataset.itemCount > 0 ? (c.count / dataset.itemCount) * 100 : 0;
          return (
            <Table.Tr key={label} data-testid="class-row" data-label={label}>
              <Table.Td fs={c.label === null ? 'italic' : undefined}>{label}</Table.Td>
              <Table.Td ta="right" data-testid="class-count">
                {c.count}
              </Table.Td>
              <Table.Td>
                <Progress value={share} size="sm" aria-label={`${label} share`} />
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}

export function DatasetDetailView({
  datasetId,
  skippedShownAbove,
  onBack,
  onTrain,
}: {
  datasetId: number;
  /** The fresh import report already lists the skipped files; listing them twice only confuses. */
  skippedShownAbove: boolean;
  onBack: () => void;
  onTrain: (datasetId: number) => void;
}) {
  const detail = useDatasetDetail(datasetId);
  const dataset = detail.value?.id === datasetId ? detail.value : null;

  return (
    <Stack gap="md" data-testid="dataset-detail">
      <Anchor component="button" size="sm" onClick={onBack} w="fit-content">
        ← All datasets
      </Anchor>
      <ErrorAlert error={detail.error} title="Could not open the dataset" onRetry={detail.reload} />
      {!dataset && detail.loading && <Loader size="sm" />}
      {dataset && (
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} data-testid="dataset-name">
                {dataset.name}
              </Title>
              <Text size="sm" c="dimmed" ff="monospace">
                {dataset.sourcePath}
              </Text>
            </div>
            <Button
              data-testid="train-on-dataset"
              onClick={() => onTrain(dataset.id)}
              disabled={dataset.itemCount === 0}
            >
              Train on this dataset
            </Button>
          </Group>
          <Card withBorder>
            <SimpleGrid cols={{ base: 2, sm: 4 }}>
              <Stat label="Items">
                <span data-testid="dataset-item-count">{dataset.itemCount}</span>
              </Stat>
              <Stat label="Classes">{dataset.classCount}</Stat>
              <Stat label="Skipped">{dataset.skipped.length}</Stat>
              <Stat label="Imported">
                <Text size="sm">{formatDate(dataset.createdAt)}</Text>
              </Stat>
            </SimpleGrid>
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
            <Card withBorder>
              <Title order={4} mb="xs">
                Classes
              </Title>
              <ClassTable dataset={dataset} />
            </Card>
            <Card withBorder data-testid="dataset-skipped">
              <Title order={4} mb="xs">
                Skipped files
              </Title>
              {skippedShownAbove && dataset.skipped.length > 0 ? (
                <Text size="sm" c="dimmed">
                  {dataset.skipped.length} file{dataset.skipped.length === 1 ? '' : 's'}, listed in
                  the import report above.
                </Text>
              ) : (
                <SkippedFilesTable skipped={dataset.skipped} />
              )}
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Title order={4} mb="xs">
              Images
            </Title>
            <ThumbnailGrid datasetId={dataset.id} version={dataset.latestVersionId} />
          </Card>
        </>
      )}
    </Stack>
  );
}
