import { ActionIcon, Group, NativeSelect, SegmentedControl, Tooltip } from '@mantine/core';
import type { ItemFilter, ItemSort } from '../../../../../preload/contract';

/** The class filter: every class, only the unlabeled items, or one label. */
export type LabelFilter = { kind: 'all' } | { kind: 'label'; label: string | null };

const UNLABELED = '\u0000unlabeled';
const ALL = '\u0000all';

export function labelFilterValue(filter: LabelFilter): string {
  if (filter.kind === 'all') return ALL;
  return filter.label === null ? UNLABELED : filter.label;
}

function parseLabelFilter(value: string): LabelFilter {
  if (value === ALL) return { kind: 'all' };
  return { kind: 'label', label: value === UNLABELED ? null : value };
}

const FILTERS: { value: ItemFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'included', label: 'Included' },
  { value: 'excluded', label: 'Excluded' },
  { value: 'relabeled', label: 'Relabeled' },
  { value: 'train', label: 'Train' },
  { value: 'validation', label: 'Validation' },
];

const SORTS: { value: ItemSort; label: string }[] = [
  { value: 'path', label: 'File path' },
  { value: 'label', label: 'Label' },
  { value: 'pixels', label: 'Image size' },
  { value: 'bytes', label: 'File size' },
  { value: 'format', label: 'Format' },
  { value: 'imported', label: 'Import order' },
];

export interface BrowseControls {
  labelFilter: LabelFilter;
  filter: ItemFilter;
  sort: ItemSort;
  descending: boolean;
}

export function BrowseToolbar({
  controls,
  labels,
  onChange,
  isText,
}: {
  controls: BrowseControls;
  labels: (string | null)[];
  onChange: (next: BrowseControls) => void;
  isText: boolean;
}) {
  const sorts = isText ? SORTS.filter((s) => s.value !== 'pixels') : SORTS;
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <NativeSelect
        label="Class"
        size="xs"
        data-testid="browse-class-filter"
        value={labelFilterValue(controls.labelFilter)}
        onChange={(e) =>
          onChange({ ...controls, labelFilter: parseLabelFilter(e.currentTarget.value) })
        }
        data={[
          { value: ALL, label: 'All classes' },
          ...labels.map((l) => ({
            value: l === null ? UNLABELED : l,
            label: l === null ? '(unlabeled)' : l,
          })),
        ]}
      />
      <SegmentedControl
        size="xs"
        data-testid="browse-flag-filter"
        value={controls.filter}
        onChange={(value) => onChange({ ...controls, filter: value as ItemFilter })}
        data={FILTERS}
      />
      <NativeSelect
        label="Sort by"
        size="xs"
        data-testid="browse-sort"
        value={controls.sort}
        onChange={(e) => onChange({ ...controls, sort: e.currentTarget.value as ItemSort })}
        data={sorts}
      />
      <Tooltip label={controls.descending ? 'Descending' : 'Ascending'}>
        <ActionIcon
          variant="default"
          size="lg"
          aria-label="Sort direction"
          data-testid="browse-sort-direction"
          onClick={() => onChange({ ...controls, descending: !controls.descending })}
        >
          {controls.descending ? '↓' : '↑'}
        </ActionIcon>
      </Tooltip>
    </Group>
  );
}
