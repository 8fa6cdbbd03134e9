import { SimpleGrid, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { MetricPoint } from '../../../../preload/contract';
import { baseMetricNames } from '../../../../shared/runs/metricNames';
import { Curves, type CurveSeries } from './Curves';
import { pointsOf } from './metricPoints';

/** A chart per metric of one run, with its validation points on the same chart. */
export function MetricCurves({ metrics }: { metrics: MetricPoint[] }) {
  const charts = useMemo(
    () =>
      baseMetricNames(metrics).map((name) => {
        const series: CurveSeries[] = [
          { key: name, label: 'train', color: 'indigo.6', points: pointsOf(metrics, name) },
        ];
        const validation = pointsOf(metrics, `val_${name}`);
        if (validation.length > 0) {
          series.push({
            key: `val_${name}`,
            label: 'validation',
            color: 'orange.6',
            points: validation,
            validation: true,
          });
        }
        return { name, series: series.filter((s) => s.points.length > 0) };
      }),
    [metrics],
  );
  if (charts.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        The curves appear once training reports its first step.
      </Text>
    );
  }
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} data-testid="metric-curves">
      {charts.map((c) => (
        <Stack gap={2} key={c.name}>
          <Text size="sm" fw={600}>
            {c.name}
          </Text>
          <Curves series={c.series} xLabel="step" height={180} testId={`metric-curve-${c.name}`} />
        </Stack>
      ))}
    </SimpleGrid>
  );
}
