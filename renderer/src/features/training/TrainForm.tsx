import { Button, Card, NativeSelect, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { DatasetSummary, ModelPreset } from '../../../../preload/contract';

/** The first preset that is not a test-sized one, since tiny presets learn nothing visible. */
export function defaultPresetId(presets: ModelPreset[]): string {
  const notTiny = presets.find((p) => !/tiny/i.test(p.id) && !/tiny/i.test(p.label));
  return (notTiny ?? presets[0])?.id ?? '';
}

export function TrainForm({
  datasets,
  presets,
  datasetId: wantedDatasetId,
  onDatasetChange,
  starting,
  onStart,
}: {
  datasets: DatasetSummary[];
  presets: ModelPreset[];
  /** The dataset in the route ("Train on this dataset" or an earlier choice). */
  datasetId: number | undefined;
  onDatasetChange: (datasetId: number) => void;
  starting: boolean;
  onStart: (args: { datasetId: number; presetId: string; steps?: number }) => void;
}) {
  const [chosenPreset, setChosenPreset] = useState<string | null>(null);
  const [steps, setSteps] = useState<string | number>('');

  // The wanted dataset when it exists, else the first, so the form is always ready to start.
  const datasetId = String(
    datasets.find((d) => d.id === wantedDatasetId)?.id ?? datasets[0]?.id ?? '',
  );
  const presetId =
    chosenPreset !== null && presets.some((p) => p.id === chosenPreset)
      ? chosenPreset
      : defaultPresetId(presets);
  const preset = presets.find((p) => p.id === presetId);
  const stepCount = typeof steps === 'number' && steps > 0 ? Math.round(steps) : undefined;
  const canStart = datasetId !== '' && presetId !== '' && !starting;

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>New run</Title>
        {datasets.length === 0 && (
          <Text size="sm" c="dimmed" data-testid="train-no-datasets">
            Import a dataset first (Datasets page), then come back to train on it.
          </Text>
        )}
        <NativeSelect
          label="Dataset"
          data-testid="train-dataset-select"
          value={datasetId}
          onChange={(e) => onDatasetChange(Number(e.currentTarget.value))}
          data={datasets.map((d) => ({
            value: String(d.id),
            label: `${d.name} (${d.itemCount} items)`,
          }))}
          disabled={datasets.length === 0}
        />
        <NativeSelect
          label="Model preset"
          data-testid="train-preset-select"
          value={presetId}
          onChange={(e) => setChosenPreset(e.currentTarget.value)}
          data={presets.map((p) => ({ value: p.id, label: p.label }))}
          description={preset?.description}
        />
        <NumberInput
          label="Steps"
          description={
            preset
              ? `Empty = the preset's ${preset.steps} steps (batch ${preset.batchSize}, ${preset.imageSize}px).`
              : undefined
          }
          placeholder={preset ? String(preset.steps) : 'preset default'}
          data-testid="train-steps-input"
          min={1}
          step={100}
          allowDecimal={false}
          value={steps}
          onChange={setSteps}
        />
        <Button
          data-testid="train-start"
          disabled={!canStart}
          loading={starting}
          onClick={() =>
            onStart({
              datasetId: Number(datasetId),
              presetId,
              ...(stepCount ? { steps: stepCount } : {}),
            })
          }
        >
          Start training
        </Button>
      </Stack>
    </Card>
  );
}
