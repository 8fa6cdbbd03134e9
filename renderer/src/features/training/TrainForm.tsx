import {
  Button,
  Card,
  Checkbox,
  Group,
  NativeSelect,
  NumberInput,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import type { DatasetSummary, ModelPreset } from '../../../../preload/contract';
import { formatBytes, formatDuration } from '../../common/format';
import { DataCheckAlert } from './DataCheckAlert';
import { useEstimate } from './useRuns';

function formatCount(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(n);
}

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
  prefill,
}: {
  datasets: DatasetSummary[];
  presets: ModelPreset[];
  /** The dataset in the route ("Train on this dataset" or an earlier choice). */
  datasetId: number | undefined;
  onDatasetChange: (datasetId: number) => void;
  starting: boolean;
  onStart: (args: {
    datasetId: number;
    presetId: string;
    steps?: number;
    versionId?: number;
    includeSynthetic?: boolean;
  }) => void;
  /** "Train again with…": an earlier run's preset, steps and dataset version (remount to apply). */
  prefill?: {
    runId: number;
    presetId: string;
    steps: number;
    versionId: number;
    includeSynthetic: boolean;
  };
}) {
  const [chosenPreset, setChosenPreset] = useState<string | null>(prefill?.presetId ?? null);
  const [steps, setSteps] = useState<string | number>(prefill?.steps ?? '');
  const [includeSynthetic, setIncludeSynthetic] = useState(prefill?.includeSynthetic ?? true);

  // The wanted dataset when it exists, else the first, so the form is always ready to start.
  const datasetId = String(
    datasets.find((d) => d.id === wantedDatasetId)?.id ?? datasets[0]?.id ?? '',
  );
  // Only the presets that train on this dataset's kind (images or text).
  const kind = datasets.find((d) => String(d.id) === datasetId)?.kind ?? 'image';
  const usable = presets.filter((p) => p.kind === kind);
  const presetId =
    chosenPreset !== null && usable.some((p) => p.id === chosenPreset)
      ? chosenPreset
      : defaultPresetId(usable);
  const preset = usable.find((p) => p.id === presetId);
  const sizing = useEstimate();
  const stepCount = typeof steps === 'number' && steps > 0 ? Math.round(steps) : undefined;
  const canStart = datasetId !== '' && presetId !== '' && !starting;

  return (
    <Card withBorder>
      <Stack gap="sm">
        <Title order={4}>New run</Title>
        {prefill && (
          <Text size="xs" c="dimmed" data-testid="train-prefill">
            Settings of run #{prefill.runId}, on the same dataset version.
          </Text>
        )}
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
          data={usable.map((p) => ({ value: p.id, label: p.label }))}
          description={preset?.description}
        />
        <NumberInput
          label="Steps"
          description={
            preset
              ? `Empty = the preset's ${preset.steps} steps (batch ${preset.batchSize}${
                  preset.kind === 'image'
                    ? `, ${preset.imageSize}px`
                    : `, context ${preset.contextLength}`
                }, ${formatCount(preset.params)} parameters).`
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
        <Checkbox
          label="Include synthetic items"
          description="Items added from generated samples (gallery: Add to dataset). Off: train on real data only."
          data-testid="train-include-synthetic"
          checked={includeSynthetic}
          onChange={(e) => {
            setIncludeSynthetic(e.currentTarget.checked);
            sizing.clear();
          }}
        />
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="train-estimate" style={{ flex: 1 }}>
            {sizing.measuring
              ? 'Measuring a few steps…'
              : sizing.estimate
                ? `${sizing.estimate.msPerStep.toFixed(0)} ms/step on ${sizing.estimate.backend} · ${formatBytes(sizing.estimate.memoryBytes)} · about ${formatDuration((sizing.estimate.msPerStep * (stepCount ?? preset?.steps ?? 0)) / 1000)} in all`
                : (sizing.error?.message ?? 'How long will it take?')}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            style={{ flexShrink: 0 }}
            data-testid="train-estimate-button"
            disabled={!canStart || sizing.measuring}
            onClick={() => void sizing.measure(Number(datasetId), presetId, includeSynthetic)}
          >
            Estimate
          </Button>
        </Group>
        <DataCheckAlert check={sizing.estimate?.dataCheck} />
        <Button
          data-testid="train-start"
          disabled={!canStart}
          loading={starting}
          onClick={() =>
            onStart({
              datasetId: Number(datasetId),
              presetId,
              ...(stepCount ? { steps: stepCount } : {}),
              ...(includeSynthetic ? {} : { includeSynthetic: false }),
              // The same version only while the form still trains what the run trained on.
              ...(prefill && prefill.presetId === presetId && Number(datasetId) === wantedDatasetId
                ? { versionId: prefill.versionId }
                : {}),
            })
          }
        >
          Start training
        </Button>
      </Stack>
    </Card>
  );
}
