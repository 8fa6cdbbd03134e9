import { Progress, Table, Text, Tooltip } from '@mantine/core';
import type { VersionClassCount } from '../../../../../preload/contract';
import type { LabelFilter } from './BrowseToolbar';

/** Items per class in the version, with the train/validation split; a row filters the browser. */
export function ClassHistogram({
  classes,
  filter,
  onFilter,
}: {
  classes: VersionClassCount[];
  filter: LabelFilter;
  onFilter: (filter: LabelFilter) => void;
}) {
  if (classes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No items are in this version.
      </Text>
    );
  }
  const largest = Math.max(...classes.map((c) => c.count));
  const total = classes.reduce((n, c) => n + c.count, 0);
  return (
    <Table.ScrollContainer minWidth={320} maxHeight={320}>
      <Table verticalSpacing={5} fz="sm" highlightOnHover data-testid="class-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Class</Table.Th>
            <Table.Th ta="right">Items</Table.Th>
            <Table.Th ta="right">Train / val</Table.Th>
            <Table.Th w="40%">Share</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {classes.map((c) => {
            const label = c.label ?? '(unlabeled)';
            const active = filter.kind === 'label' && filter.label === c.label;
            return (
              <Table.Tr
                key={label}
                data-testid="class-row"
                data-label={label}
                aria-selected={active}
                bg={active ? 'var(--mantine-color-indigo-0)' : undefined}
                style={{ cursor: 'pointer' }}
                onClick={() =>
                  onFilter(active ? { kind: 'all' } : { kind: 'label', label: c.label })
                }
              >
                <Table.Td fs={c.label === null ? 'italic' : undefined}>{label}</Table.Td>
                <Table.Td ta="right" data-testid="class-count">
                  {c.count}
                </Table.Td>
                <Table.Td ta="right" c="dimmed" data-testid="class-split">
                  {c.train} / {c.validation}
                </Table.Td>
                <Table.Td>
                  <Tooltip label={`${((c.count / total) * 100).toFixed(1)}% of the items`}>
                    <Progress
                      value={(c.count / largest) * 100}
                      size="sm"
                      aria-label={`${label} share`}
                    />
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
