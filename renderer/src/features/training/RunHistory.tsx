import { Card, Table, Text, Title } from '@mantine/core';
import type { RunSummary } from '../../../../preload/contract';
import { formatDate, formatLoss } from '../../common/format';
import { StatusBadge } from './RunPanel';

export function RunHistory({
  runs,
  selectedId,
  onSelect,
}: {
  runs: RunSummary[];
  selectedId: number | null;
  onSelect: (runId: number) => void;
}) {
  return (
    <Card withBorder p={0}>
      <Title order={4} p="md" pb="xs">
        Run history
      </Title>
      {runs.length === 0 ? (
        <Text c="dimmed" size="sm" px="md" pb="md" data-testid="runs-empty">
          No runs yet. Start one above; every run stays here with its loss curve and samples.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={640} maxHeight={360}>
          <Table highlightOnHover verticalSpacing={6} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Dataset</Table.Th>
                <Table.Th>Preset</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Steps</Table.Th>
                <Table.Th>Loss</Table.Th>
                <Table.Th>Backend</Table.Th>
                <Table.Th>Started</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((run) => (
                <Table.Tr
                  key={run.id}
                  data-testid="run-row"
                  data-run-id={run.id}
                  data-status={run.status}
                  aria-selected={run.id === selectedId}
                  onClick={() => onSelect(run.id)}
                  style={{ cursor: 'pointer' }}
                  bg={run.id === selectedId ? 'var(--mantine-color-indigo-0)' : undefined}
                >
                  <Table.Td>{run.id}</Table.Td>
                  <Table.Td data-testid="run-row-dataset">{run.datasetName}</Table.Td>
                  <Table.Td data-testid="run-row-preset">{run.presetId}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={run.status} testId="run-row-status" />
                  </Table.Td>
                  <Table.Td data-testid="run-row-steps">
                    {run.step} / {run.totalSteps}
                  </Table.Td>
                  <Table.Td>{formatLoss(run.lastLoss)}</Table.Td>
                  <Table.Td data-testid="run-row-backend">{run.backend ?? '—'}</Table.Td>
                  <Table.Td>{formatDate(run.startedAt ?? run.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
