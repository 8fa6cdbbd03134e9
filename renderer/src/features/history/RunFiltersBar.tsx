import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  Popover,
  ScrollArea,
  Select,
  Stack,
  Switch,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import type { RunSummary } from '../../../../preload/contract';
import {
  boundFromInput,
  columnLabel,
  FIXED_COLUMNS,
  metricColumn,
  metricNames,
  versionKey,
  type ColumnId,
  type RunFilters,
} from './runTableModel';

function options(values: (string | null)[]): string[] {
  return [...new Set(values.filter((v): v is string => v !== null && v !== ''))].sort();
}

/**
 * One bound of the metric filter. The input shows the text as typed ("0.30", "216.") and the
 * filter gets the number it means: Mantine hands over such text as a string, which the filter
 * used to take for "no bound" (see boundFromInput).
 */
function BoundInput({
  label,
  placeholder,
  testId,
  bound,
  onBound,
}: {
  label: string;
  placeholder: string;
  testId: string;
  bound: number | null;
  onBound: (bound: number | null) => void;
}) {
  // Only this input sets its bound, so the text it started from stays the text shown.
  const [typed, setTyped] = useState<string | number>(bound ?? '');
  return (
    <NumberInput
      size="xs"
      w={110}
      placeholder={placeholder}
      aria-label={label}
      data-testid={testId}
      value={typed}
      decimalScale={6}
      onChange={(value) => {
        setTyped(value);
        onBound(boundFromInput(value));
      }}
    />
  );
}

/** Search, a filter per field (choices from the runs there are), a metric bound, the columns. */
export function RunFiltersBar({
  runs,
  filters,
  onFilters,
  columns,
  onColumns,
  showArchived,
  onShowArchived,
}: {
  runs: RunSummary[];
  filters: RunFilters;
  onFilters: (f: RunFilters) => void;
  columns: ColumnId[];
  onColumns: (c: ColumnId[]) => void;
  showArchived: boolean;
  onShowArchived: (show: boolean) => void;
}) {
  const set = (change: Partial<RunFilters>) => onFilters({ ...filters, ...change });
  const datasets = [...new Map(runs.map((r) => [String(r.datasetId), r.datasetName])).entries()];
  const versions = [
    ...new Map(runs.map((r) => [versionKey(r), `${r.datasetName} v${r.versionNumber}`])).entries(),
  ];
  const metrics = metricNames(runs);
  const allColumns: ColumnId[] = [
    ...FIXED_COLUMNS.map((c) => c.id),
    ...metrics.flatMap((m) => [metricColumn(m, 'final'), metricColumn(m, 'best')]),
  ];
  const select = (
    label: string,
    testId: string,
    value: string | null,
    data: { value: string; label: string }[] | string[],
    onChange: (v: string | null) => void,
  ) => (
    <Select
      size="xs"
      w={140}
      placeholder={label}
      aria-label={label}
      data-testid={testId}
      value={value}
      data={data}
      onChange={onChange}
      clearable
    />
  );

  return (
    <Group gap="xs" align="flex-end" px="md" pb="xs" wrap="wrap">
      <TextInput
        size="xs"
        w={200}
        placeholder="Search name, tag, notes…"
        data-testid="runs-search"
        value={filters.search}
        onChange={(e) => set({ search: e.currentTarget.value })}
      />
      {select(
        'Dataset',
        'runs-filter-dataset',
        filters.dataset,
        datasets.map(([value, label]) => ({ value, label })),
        (dataset) => set({ dataset }),
      )}
      {select(
        'Version',
        'runs-filter-version',
        filters.version,
        versions.map(([value, label]) => ({ value, label })),
        (version) => set({ version }),
      )}
      {select(
        'Family',
        'runs-filter-family',
        filters.family,
        options(runs.map((r) => r.family)),
        (family) => set({ family }),
      )}
      {select(
        'Preset',
        'runs-filter-preset',
        filters.preset,
        options(runs.map((r) => r.presetId)),
        (preset) => set({ preset }),
      )}
      {select(
        'Status',
        'runs-filter-status',
        filters.status,
        options(runs.map((r) => r.status)),
        (status) => set({ status }),
      )}
      {select(
        'Backend',
        'runs-filter-backend',
        filters.backend,
        options(runs.map((r) => r.backend)),
        (backend) => set({ backend }),
      )}
      {select('Metric', 'runs-filter-metric', filters.metric?.name ?? null, metrics, (name) =>
        set({
          metric: name
            ? { name, max: filters.metric?.max ?? null, min: filters.metric?.min ?? null }
            : null,
        }),
      )}
      {/* Both bounds: "at most" for a loss, "at least" for a metric where higher is better. */}
      {filters.metric && (
        <BoundInput
          label={`${filters.metric.name} at least`}
          placeholder="final ≥"
          testId="runs-filter-metric-min"
          bound={filters.metric.min}
          onBound={(min) => filters.metric && set({ metric: { ...filters.metric, min } })}
        />
      )}
      {filters.metric && (
        <BoundInput
          label={`${filters.metric.name} at most`}
          placeholder="final ≤"
          testId="runs-filter-metric-max"
          bound={filters.metric.max}
          onBound={(max) => filters.metric && set({ metric: { ...filters.metric, max } })}
        />
      )}
      <Switch
        size="xs"
        label="Archived"
        data-testid="runs-show-archived"
        checked={showArchived}
        onChange={(e) => onShowArchived(e.currentTarget.checked)}
        mb={4}
      />
      <Popover position="bottom-end" withinPortal shadow="md">
        <Popover.Target>
          <Button size="xs" variant="default" data-testid="runs-columns-button">
            Columns
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <ScrollArea.Autosize mah={320}>
            <Checkbox.Group
              value={columns}
              onChange={(next) =>
                // Keep the table's order, not the order of clicks.
                onColumns(allColumns.filter((c) => next.includes(c)))
              }
            >
              <Stack gap={6} data-testid="runs-columns">
                {allColumns.map((c) => (
                  <Checkbox
                    key={c}
                    size="xs"
                    value={c}
                    label={columnLabel(c)}
                    data-testid={`runs-column-${c}`}
                  />
                ))}
              </Stack>
            </Checkbox.Group>
          </ScrollArea.Autosize>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
