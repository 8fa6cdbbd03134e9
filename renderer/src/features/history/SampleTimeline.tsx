import { Group, Slider, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { SampleView } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { useSamples } from '../../common/useSamples';
import { trainingGrids } from '../../../../shared/runs/trainingGrids';

export function SampleGrid({
  samples,
  size = 48,
  testId,
}: {
  samples: SampleView[];
  size?: number;
  testId: string;
}) {
  const { shell } = useStudio();
  const step = samples[0]?.step;
  return (
    <Group gap={4} data-testid={testId} data-step={step ?? ''} data-count={samples.length}>
      {samples.map((s) =>
        s.kind === 'text' ? (
          <Text key={s.id} size="xs" ff="monospace" w="100%" style={{ whiteSpace: 'pre-wrap' }}>
            {s.text}
          </Text>
        ) : (
          <img
            key={s.id}
            data-testid="grid-sample"
            data-sample-id={s.id}
            src={shell.mediaUrl('sample', s.id)}
            alt={`Sample ${s.index} at step ${s.step}`}
            width={size}
            height={size}
            style={{ imageRendering: 'pixelated', borderRadius: 3, background: '#eee' }}
          />
        ),
      )}
    </Group>
  );
}

/** A step slider over the steps that have samples; the grid below shows that step. */
export function StepSlider({
  steps,
  value,
  onChange,
}: {
  steps: number[];
  value: number;
  onChange: (step: number) => void;
}) {
  const at = Math.max(0, steps.indexOf(value));
  if (steps.length < 2) return null;
  return (
    <Slider
      data-testid="sample-step-slider"
      min={0}
      max={steps.length - 1}
      step={1}
      value={at}
      onChange={(i) => onChange(steps[i] ?? value)}
      label={(i) => `step ${steps[i] ?? ''}`}
      marks={steps.map((s, i) => ({ value: i, label: steps.length <= 12 ? String(s) : undefined }))}
      mb={steps.length <= 12 ? 'md' : 0}
    />
  );
}

/** One run's sample grids over training, with a step slider (newest step first). */
export function SampleTimeline({ runId }: { runId: number }) {
  const samples = useSamples(runId);
  const grids = useMemo(() => trainingGrids(samples.value ?? []), [samples.value]);
  const steps = [...grids.keys()];
  const [chosen, setChosen] = useState<number | null>(null);
  const step = chosen !== null && grids.has(chosen) ? chosen : (steps[steps.length - 1] ?? 0);
  if (steps.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        Grids appear here at each sampling step of training.
      </Text>
    );
  }
  return (
    <Stack gap="xs" data-testid="sample-timeline">
      <Text size="sm">
        Step <b data-testid="sample-timeline-step">{step}</b> of the steps with samples (
        {steps.length}); the same seeds at every step.
      </Text>
      <StepSlider steps={steps} value={step} onChange={setChosen} />
      <SampleGrid samples={grids.get(step) ?? []} testId="sample-timeline-grid" />
    </Stack>
  );
}
