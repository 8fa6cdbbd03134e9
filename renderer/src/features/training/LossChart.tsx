import { LineChart } from '@mantine/charts';
import { Box, Center, Group, SegmentedControl, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { MetricPoint } from '../../../../preload/contract';
import { formatLoss } from '../../common/format';

/** Above this many points the line is thinned evenly; recharts slows down well before the eye gains. */
const MAX_PLOTTED = 2000;

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_PLOTTED) return points;
  const stride = points.length / MAX_PLOTTED;
  const out: T[] = [];
  for (let i = 0; i < MAX_PLOTTED; i++) {
    const p = points[Math.floor(i * stride)];
    if (p) out.push(p);
  }
  const last = points[points.length - 1];
  if (last && out[out.length - 1] !== last) out.push(last);
  return out;
}

export function LossChart({ metrics }: { metrics: MetricPoint[] }) {
  const names = useMemo(() => [...new Set(metrics.map((m) => m.name))].sort(), [metrics]);
  const [chosen, setChosen] = useState<string | null>(null);
  // 'loss' is the objective being minimised; the other series (if any) are its parts.
  const name =
    chosen && names.includes(chosen)
      ? chosen
      : names.includes('loss')
        ? 'loss'
        : (names[0] ?? 'loss');

  const data = useMemo(() => {
    const byStep = new Map<number, number>();
    for (const m of metrics)
      if (m.name === name && Number.isFinite(m.value)) byStep.set(m.step, m.value);
    const sorted = [...byStep.entries()].sort((a, b) => a[0] - b[0]);
    return thin(sorted.map(([step, value]) => ({ step, [name]: value })));
  }, [metrics, name]);

  return (
    <Box data-testid="loss-chart" data-points={data.length} data-metric={name}>
      <Group justify="space-between" mb={4} mih={28}>
        <Text size="sm" fw={600}>
          {name}
        </Text>
        {names.length > 1 && (
          <SegmentedControl size="xs" data={names} value={name} onChange={setChosen} />
        )}
      </Group>
      {data.length === 0 ? (
        <Center h={240} bg="var(--mantine-color-gray-0)" style={{ borderRadius: 4 }}>
          <Text size="sm" c="dimmed">
            The loss curve appears here once training reports its first step.
          </Text>
        </Center>
      ) : (
        <LineChart
          h={240}
          data={data}
          dataKey="step"
          series={[{ name, color: 'indigo.6' }]}
          curveType="linear"
          withDots={false}
          strokeWidth={1.5}
          gridAxis="xy"
          xAxisLabel="step"
          valueFormatter={formatLoss}
          lineProps={{ isAnimationActive: false }}
          xAxisProps={{ type: 'number', domain: ['dataMin', 'dataMax'], allowDecimals: false }}
          yAxisProps={{ domain: ['auto', 'auto'], width: 64 }}
        />
      )}
    </Box>
  );
}
