import {
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Table,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useMemo, useState, type ReactNode } from 'react';
import type { RunSummary } from '../../../../preload/contract';
import { formatDate, formatLoss } from '../../common/format';
import { StatusBadge } from '../training/RunPanel';
import { VersionLink } from './RunDetails';
import { RunFiltersBar } from './RunFiltersBar';
import {
  columnLabel,
  filterRuns,
  NO_FILTERS,
  parseMetricColumn,
  sortRuns,
  type ColumnId,
  type RunFilters,
  type RunSort,
} from './runTableModel';
import { useRunColumns } from './useRunHistory';
import { COMPARE_MAX, COMPARE_MIN } from './compareLimits';

function Cell({ run, column }: { run: RunSummary; column: ColumnId }): ReactNode {
  const metric = parseMetricColumn(column);
  if (metric) return formatLoss(run.metricSummary[metric.name]?.[metric.which]);
  switch (column) {
    case 'name':
      return (
        <Text size="sm" fw={500} span>
          #{run.id} {run.name ?? ''}
        </Text>
      );
    case 'dataset':
      return run.datasetName;
    case 'version':
      return <VersionLink run={run} />;
    case 'family':
      return run.family;
    case 'preset':
      return run.presetId;
    case 'status':
      return (
        <Group gap={4} wrap="nowrap">
          <StatusBadge status={run.status} testId="run-row-status-badge" />
          {run.archivedAt && (
            <Badge size="xs" color="gray" variant="outline">
              archived
            </Badge>
          )}
        </Group>
      );
    case 'steps':
      return `${run.step} / ${run.totalSteps}`;
    case 'backend':
      return run.backend ?? '—';
    case 'samples':
      return run.sampleCount;
    case 'tags':
      return (
        <Group gap={2}>
          {run.tags.map((t) => (
            <Badge key={t} size="xs" variant="light">
              {t}
            </Badge>
          ))}
        </Group>
      );
    case 'started':
      return formatDate(run.startedAt ?? run.createdAt);
    default:
      return null;
  }
}

/**
 * The run history: search, filters, sortable columns a person chooses, and a row selection to
 * compare, archive or delete several runs at once.
 */
export function RunsTable({
  runs,
  selectedId,
  onSelect,
  showArchived,
  onShowArchived,
  onCompare,
  onArchive,
  onDelete,
}: {
  runs: RunSummary[];
  selectedId: number | null;
  onSelect: (runId: number) => void;
  showArchived: boolean;
  onShowArchived: (show: boolean) => void;
  onCompare: (runIds: number[]) => void;
  onArchive: (runIds: number[], archived: boolean) => void;
  onDelete: (runIds: number[]) => void;
}) {
  const [filters, setFilters] = useState<RunFilters>(NO_FILTERS);
  const [sort, setSort] = useState<RunSort | null>(null);
  const [columns, setColumns] = useRunColumns();
  const [checked, setChecked] = useState<number[]>([]);
  const shown = useMemo(() => sortRuns(filterRuns(runs, filters), sort), [runs, filters, sort]);
  // Only what is on screen counts as chosen, so a filter never hides a chosen run.
  const chosen = checked.filter((id) => shown.some((r) => r.id === id));
  const toggle = (id: number) =>
    setChecked((prev) => (prev.includes(id) ? prev.filter((x) => x !== id) : [...prev, id]));
  const sortBy = (column: ColumnId) =>
    setSort((prev) =>
      prev?.column === column
        ? prev.descending
          ? null
          : { column, descending: true }
        : { column, descending: false },
    );
  const allShownChecked = shown.length > 0 && chosen.length === shown.length;

  return (
    <Card withBorder p={0} data-testid="runs-table">
      <Group justify="space-between" p="md" pb="xs">
        <Title order={4}>Run history</Title>
        <Group gap="xs">
          <Text size="sm" c="dimmed" data-testid="runs-count">
            {shown.length} of {runs.length} runs
            {chosen.length > 0 ? ` · ${chosen.length} selected` : ''}
          </Text>
          <Button
            size="xs"
            data-testid="runs-compare"
            disabled={chosen.length < COMPARE_MIN || chosen.length > COMPARE_MAX}
            title={`Select ${COMPARE_MIN} to ${COMPARE_MAX} runs to compare them`}
            onClick={() => onCompare([...chosen].sort((a, b) => a - b))}
          >
            Compare {chosen.length >= COMPARE_MIN ? chosen.length : ''}
          </Button>
          <Button
            size="xs"
            variant="default"
            data-testid="runs-archive-selected"
            disabled={chosen.length === 0}
            onClick={() => onArchive(chosen, true)}
          >
            Archive
          </Button>
          <Button
            size="xs"
            color="red"
            variant="light"
            data-testid="runs-delete-selected"
            disabled={chosen.length === 0}
            onClick={() => onDelete(chosen)}
          >
            Delete…
          </Button>
        </Group>
      </Group>
      <RunFiltersBar
        runs={runs}
        filters={filters}
        onFilters={setFilters}
        columns={columns}
        onColumns={setColumns}
        showArchived={showArchived}
        onShowArchived={onShowArchived}
      />
      {runs.length === 0 ? (
        <Text c="dimmed" size="sm" px="md" pb="md" data-testid="runs-empty">
          No runs yet. Start one above; every run stays here with its curves and samples.
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={720} maxHeight={420}>
          <Table highlightOnHover verticalSpacing={6} fz="sm" stickyHeader>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={32}>
                  <Checkbox
                    size="xs"
                    aria-label="Select every run shown"
                    data-testid="runs-select-all"
                    checked={allShownChecked}
                    indeterminate={chosen.length > 0 && !allShownChecked}
                    onChange={() => setChecked(allShownChecked ? [] : shown.map((r) => r.id))}
                  />
                </Table.Th>
                {columns.map((c) => (
                  <Table.Th key={c}>
                    <UnstyledButton
                      fz="sm"
                      fw={600}
                      data-testid={`runs-sort-${c}`}
                      onClick={() => sortBy(c)}
                    >
                      {columnLabel(c)}
                      {sort?.column === c ? (sort.descending ? ' ↓' : ' ↑') : ''}
                    </UnstyledButton>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((run) => (
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
                  <Table.Td onClick={(e) => e.stopPropagation()}>
                    <Checkbox
                      size="xs"
                      aria-label={`Select run ${run.id}`}
                      data-testid="run-row-select"
                      checked={checked.includes(run.id)}
                      onChange={() => toggle(run.id)}
                    />
                  </Table.Td>
                  {columns.map((c) => (
                    <Table.Td key={c} data-testid={`run-row-${c}`}>
                      <Cell run={run} column={c} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
