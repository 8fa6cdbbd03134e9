import { LineChart } from '@mantine/charts';
import { Box, SimpleGrid, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { MetricPoint } from '../../../../preload/contract';

/** Small multiples: each eval_* figure over the run's evaluated steps, beside the loss chart. */
export function EvaluationCharts({ metrics }: { metrics: MetricPoint[] }) {
  const series = useMemo(() => {
    const byName = new Map<string, { step: number; value: number }[]>();
    for (const m of metrics) {
      if (!m.name.startsWith('eval_') || !Number.isFinite(m.value)) continue;
      const points = byName.get(m.name) ?? [];
      points.push({ step: m.step, value: m.value });
      byName.set(m.name, points);
    }
    return [...byName.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([name, points]) => ({ name, points: points.sort((a, b) => a.step - b.step) }));
  }, [metrics]);
  if (series.length === 0) return null;
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="xs" data-testid="evaluation-charts">
      {series.map(({ name, points }) => (
        <Box key={name}>
          <Text size="xs" c="dimmed">
            {name.replace(/^eval_/, '').replaceAll('_', ' ')} ({points.length})
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
