import { Collapse, Group, NativeSelect, TextInput, UnstyledButton, Text } from '@mantine/core';
import { useState } from 'react';
import type { DatasetKind, ImportSettings, TextUnit } from '../../../../preload/contract';

const AUTO = 'auto';

/**
 * How the next folder is read: image or text (by default what most files are), one text item per
 * file, line or paragraph, the CSV column or JSONL field holding the text, and a labels CSV.
 */
export function ImportOptions({
  settings,
  onChange,
  disabled,
}: {
  settings: ImportSettings;
  onChange: (settings: ImportSettings) => void;
  disabled: boolean;
}) {
  const [open, setOpen] = useState(false);
  const set = (patch: Partial<ImportSettings>) => {
    const next: ImportSettings = { ...settings, ...patch };
    // Empty fields mean "let the core decide", so they are left out rather than sent empty.
    for (const key of Object.keys(next) as (keyof ImportSettings)[]) {
      if (next[key] === undefined || next[key] === '') delete next[key];
    }
    onChange(next);
  };
  return (
    <div>
      <UnstyledButton onClick={() => setOpen((o) => !o)} data-testid="import-options-toggle">
        <Text size="sm" c="indigo">
          {open ? '▾' : '▸'} Options{Object.keys(settings).length > 0 ? ' (changed)' : ''}
        </Text>
      </UnstyledButton>
      <Collapse expanded={open}>
        <Group mt="xs" align="flex-end" gap="sm" data-testid="import-options">
          <NativeSelect
            label="Kind"
            size="xs"
            data-testid="import-kind"
            disabled={disabled}
            value={settings.kind ?? AUTO}
            onChange={(e) => {
              const v = e.currentTarget.value;
              set({ kind: v === AUTO ? undefined : (v as DatasetKind) });
            }}
            data={[
              { value: AUTO, label: 'What most files are' },
              { value: 'image', label: 'Images' },
              { value: 'text', label: 'Text' },
            ]}
          />
          <NativeSelect
            label="One text item per"
            size="xs"
            data-testid="import-text-unit"
            disabled={disabled}
            value={settings.textUnit ?? 'file'}
            onChange={(e) => set({ textUnit: e.currentTarget.value as TextUnit })}
            data={[
              { value: 'file', label: 'File' },
              { value: 'line', label: 'Line' },
              { value: 'paragraph', label: 'Paragraph' },
            ]}
          />
          <TextInput
            label="CSV text column"
            size="xs"
            placeholder="name or number"
            data-testid="import-csv-column"
            disabled={disabled}
            value={settings.csvColumn ?? ''}
            onChange={(e) => set({ csvColumn: e.currentTarget.value })}
          />
          <TextInput
            label="JSONL text field"
            size="xs"
            placeholder="text"
            data-testid="import-jsonl-field"
            disabled={disabled}
            value={settings.jsonlField ?? ''}
            onChange={(e) => set({ jsonlField: e.currentTarget.value })}
          />
          <TextInput
            label="Labels CSV (path,label)"
            size="xs"
            placeholder="labels.csv in the folder"
            data-testid="import-labels-file"
            disabled={disabled}
            value={settings.labelsFile ?? ''}
            onChange={(e) => set({ labelsFile: e.currentTarget.value })}
          />
        </Group>
      </Collapse>
    </div>
  );
}
