import { Card, SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { RunComparison, RunSummary } from '../../../../preload/contract';
import { useSamples } from '../../common/useSamples';
import { runLabel } from './runTableModel';
import { trainingGrids } from '../../../../shared/runs/trainingGrids';
import { SampleGrid, StepSlider } from './SampleTimeline';

function RunGrid({ run, step }: { run: RunSummary; step: number }) {
  const samples = useSamples(run.id);
  const grids = useMemo(() => trainingGrids(samples.value ?? []), [samples.value]);
  return (
    <Stack gap={4}>
      <Text size="sm" fw={500}>
        {runLabel(run)}
      </Text>
      <SampleGrid samples={grids.get(step) ?? []} size={40} testId="compare-sample-grid" />
    </Stack>
  );
}

/** The runs' training grids side by side at one step every run sampled, with a step slider. */
export function CompareSamples({ comparison }: { comparison: RunComparison }) {
  const steps = comparison.commonSampleSteps;
  const [chosen, setChosen] = useState<number | null>(null);
  const step = chosen !== null && steps.includes(chosen) ? chosen : (steps[steps.length - 1] ?? 0);
  return (
    <Card withBorder data-testid="compare-samples">
      <Text fw={600} mb="xs">
        Samples at step <span data-testid="compare-samples-step">{step}</span>
      </Text>
      {steps.length === 0 ? (
        <Text size="sm" c="dimmed">
          These runs have no sampling step in common.
        </Text>
      ) : (
        <Stack gap="sm">
          <StepSlider steps={steps} value={step} onChange={setChosen} />
          <SimpleGrid cols={{ base: 1, md: Math.min(comparison.runs.length, 4) }}>
            {comparison.runs.map((run) => (
              <RunGrid key={run.id} run={run} step={step} />
            ))}
          </SimpleGrid>
        </Stack>
      )}
    </Card>
  );
}
