import { Autocomplete, Button, Group, Paper, Text } from '@mantine/core';
import { useState } from 'react';
import type { BrowseItem, ItemEdit } from '../../../../../preload/contract';

/** What can be done to the selected items; each action writes one new version. */
export function SelectionBar({
  selected,
  labels,
  pending,
  onEdit,
  onClear,
}: {
  selected: BrowseItem[];
  labels: (string | null)[];
  pending: string | null;
  onEdit: (edit: ItemEdit) => void;
  onClear: () => void;
}) {
  const [label, setLabel] = useState('');
  const included = selected.filter((item) => item.included).length;
  const excluded = selected.length - included;
  const newLabel = label.trim();
  const busy = pending !== null;
  return (
    <Paper withBorder p="xs" bg="indigo.0" data-testid="selection-bar">
      <Group gap="sm" wrap="wrap">
        <Text size="sm" fw={600} data-testid="selection-count">
          {selected.length} selected
        </Text>
        <Button
          size="xs"
          color="red"
          variant="light"
          data-testid="selection-exclude"
          disabled={busy || included === 0}
          loading={pending === 'exclude'}
          onClick={() => onEdit({ action: 'exclude' })}
        >
          Exclude{excluded > 0 && included > 0 ? ` ${included}` : ''}
        </Button>
        <Button
          size="xs"
          variant="light"
          data-testid="selection-include"
          disabled={busy || excluded === 0}
          loading={pending === 'include'}
          onClick={() => onEdit({ action: 'include' })}
        >
          Include{excluded > 0 && included > 0 ? ` ${excluded}` : ''}
        </Button>
        <Group gap={4} wrap="nowrap">
          <Autocomplete
            size="xs"
            w={160}
            placeholder="New label"
            aria-label="New label"
            data-testid="relabel-input"
            value={label}
            onChange={setLabel}
            data={labels.filter((l): l is string => l !== null)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && newLabel && included > 0 && !busy) {
                onEdit({ action: 'relabel', label: newLabel });
              }
            }}
          />
          <Button
            size="xs"
            variant="light"
            data-testid="relabel-apply"
            disabled={busy || !newLabel || included === 0}
            loading={pending === 'relabel'}
            onClick={() => onEdit({ action: 'relabel', label: newLabel })}
          >
            Relabel{excluded > 0 && included > 0 ? ` ${included}` : ''}
          </Button>
        </Group>
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          onClick={onClear}
          data-testid="selection-clear"
        >
          Clear
        </Button>
      </Group>
    </Paper>
  );
}
