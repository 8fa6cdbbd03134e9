import {
  Button,
  Card,
  Group,
  NativeSelect,
  NumberInput,
  Progress,
  Stack,
  Text,
} from '@mantine/core';
import { useState } from 'react';
import type { DatasetKind, VersionSummary } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { usePresets } from '../../training/useRuns';
import { CompareTrainingResult } from './CompareTrainingResult';
import { useCompareTraining, type CompareTraining } from './useCompareTraining';

// "What cleaning bought" from the version history: the same preset, seed and steps trained on
// two versions one after the other, both judged by one judge (the second version's), their
// figures side by side with each version's audit findings.

function ProgressLine({
  state,
  numberOf,
}: {
  state: CompareTraining;
  numberOf: (id: number) => string;
}) {
  const p = state.progress;
  if (!p) return null;
  const trained = p.totalSteps > 0 && p.step >= p.totalSteps;
  const on = p.versionId === null ? '…' : numberOf(p.versionId);
  const done = p.index * p.totalSteps + Math.min(p.step, p.totalSteps);
  let text = `Training ${p.index + 1} of 2 on ${on}: step ${p.step} of ${p.totalSteps}`;
  if (trained && p.index === 0) text = `Trained on ${on}; evaluating it before the second run…`;
  if (trained && p.index === 1) text = 'Both trained; judging them by one judge…';
  return (
    <Stack gap={4} data-testid="compare-training-progress">
      <Text size="sm">{text}</Text>
      <Progress value={p.totalSteps > 0 ? (100 * done) / (2 * p.totalSteps) : 0} animated />
    </Stack>
  );
}

export function CompareTrainingPanel({
  datasetId,
  kind,
  versions,
}: {
  datasetId: number;
  kind: DatasetKind;
  versions: VersionSummary[];
}) {
  const [open, setOpen] = useState(false);
  const presets = usePresets();
  const state = useCompareTraining(datasetId);
  const oldest = versions[versions.length - 1];
  const newest = versions[0];
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const [presetId, setPresetId] = useState<string | null>(null);
  const [steps, setSteps] = useState<number>(300);
  const [seed, setSeed] = useState<number>(1);
  if (!oldest || !newest || oldest.id === newest.id) return null;
  const usable = (presets.value ?? []).filter((p) => p.kind === kind);
  const versionA = a ?? oldest.id;
  const versionB = b ?? newest.id;
  const preset = presetId ?? usable[0]?.id ?? '';
  const numberOf = (id: number) => `v${versions.find((v) => v.id === id)?.number ?? '?'}`;
  const options = versions.map((v) => ({ value: String(v.id), label: `v${v.number}: ${v.note}` }));

  if (!open) {
    return (
      <Group>
        <Button
          variant="light"
          size="xs"
          data-testid="compare-training-open"
          onClick={() => setOpen(true)}
        >
          Compare training on two versions
        </Button>
      </Group>
    );
  }
  return (
    <Card withBorder data-testid="compare-training">
      <Stack gap="sm">
        <Text fw={600}>Compare training on two versions</Text>
        <Text size="sm" c="dimmed">
          Trains the preset on each version with the same seed and steps, one after the other, and
          judges both by the second version&apos;s feature network and items.
        </Text>
        <Group grow align="flex-end">
          <NativeSelect
            label="First version"
            data={options}
            value={String(versionA)}
            onChange={(e) => setA(Number(e.currentTarget.value))}
            data-testid="compare-training-a"
          />
          <NativeSelect
            label="Second version (the judge)"
            data={options}
            value={String(versionB)}
            onChange={(e) => setB(Number(e.currentTarget.value))}
            data-testid="compare-training-b"
          />
        </Group>
        <Group grow align="flex-end">
          <NativeSelect
            label="Model"
            data={usable.map((p) => ({ value: p.id, label: p.label }))}
            value={preset}
            onChange={(e) => setPresetId(e.currentTarget.value)}
            data-testid="compare-training-preset"
          />
          <NumberInput
            label="Steps"
            min={1}
            max={1_000_000}
            value={steps}
            onChange={(v) => setSteps(typeof v === 'number' ? v : Number(v) || 1)}
            data-testid="compare-training-steps"
          />
          <NumberInput
            label="Seed"
            min={0}
            value={seed}
            onChange={(v) => setSeed(typeof v === 'number' ? v : Number(v) || 0)}
            data-testid="compare-training-seed"
          />
        </Group>
        <ErrorAlert error={presets.error} title="Could not list the models" />
        <Group justify="flex-end" gap="xs">
          <Button
            size="xs"
            variant="default"
            disabled={state.running}
            onClick={() => setOpen(false)}
          >
            Close
          </Button>
          <Button
            size="xs"
            data-testid="compare-training-start"
            loading={state.running}
            disabled={versionA === versionB || preset === '' || steps < 1}
            onClick={() =>
              state.start({ versionIds: [versionA, versionB], presetId: preset, steps, seed })
            }
          >
            Train both and compare
          </Button>
        </Group>
        {versionA === versionB && (
          <Text size="sm" c="red">
            Choose two different versions.
          </Text>
        )}
        <ProgressLine state={state} numberOf={numberOf} />
        <ErrorAlert error={state.error} title="The comparison did not finish" />
        {state.result && <CompareTrainingResult result={state.result} numberOf={numberOf} />}
      </Stack>
    </Card>
  );
}
