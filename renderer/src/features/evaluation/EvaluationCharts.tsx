import { LineChart } from '@mantine/charts';
import { Box, SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { MetricPoint } from '../../../../preload/contract';

/**
 * Small multiples: each eval_* figure over the run's evaluated steps, beside the loss chart. The
 * quick in-run figures (`eval_quick_*`, a small fixed sample set at every validation point) are
 * the curves; the full ones come at the end and on demand, so they are dots until re-evaluated.
 */
function chartTitle(name: string): string {
  const quick = name.startsWith('eval_quick_');
  const figure = name.replace(/^eval_(quick_)?/, '').replaceAll('_', ' ');
  return quick ? `${figure} · in-run` : figure;
}

export function EvaluationCharts({ metrics }: { metrics: MetricPoint[] }) {
  const series = useMemo(() => {
    // Per figure, one value per step: evaluating a checkpoint again replaces its point.
    const byName = new Map<string, Map<number, number>>();
    for (const m of metrics) {
      if (!m.name.startsWith('eval_') || !Number.isFinite(m.value)) continue;
      const steps = byName.get(m.name) ?? new Map<number, number>();
      steps.set(m.step, m.value);
      byName.set(m.name, steps);
    }
    // The in-run curves first: they are the ones with a trend to read while the run trains.
    const quickFirst = (name: string) => (name.startsWith('eval_quick_') ? 0 : 1);
    return [...byName.entries()]
      .sort((a, b) => quickFirst(a[0]) - quickFirst(b[0]) || a[0].localeCompare(b[0]))
      .map(([name, steps]) => ({
        name,
        points: [...steps.entries()]
          .sort((a, b) => a[0] - b[0])
          .map(([step, value]) => ({ step, value })),
      }));
  }, [metrics]);
  // One evaluation is a dot, not a trend: the charts start with the second.
  if (!series.some((s) => s.points.length > 1)) {
    return series.length === 0 ? null : (
      <Text size="xs" c="dimmed" data-testid="evaluation-charts">
        The figures are charted over the run once it has been evaluated at two checkpoints.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={3} spacing="xs" data-testid="evaluation-charts">
      {series.map(({ name, points }) => (
        <Box key={name} data-testid={`evaluation-chart-${name}`}>
          <Text size="xs" c="dimmed">
            {chartTitle(name)} ({points.length})
          </Text>
          <LineChart
            h={70}
            data={points}
            dataKey="step"
            series={[{ name: 'value', color: 'indigo.6' }]}
            withDots={points.length < 20}
            withXAxis={false}
            withYAxis={false}
            gridAxis="none"
            withTooltip
            curveType="linear"
          />
        </Box>
      ))}
    </SimpleGrid>
  );
}
