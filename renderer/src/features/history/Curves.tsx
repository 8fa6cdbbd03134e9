import { LineChart } from '@mantine/charts';
import { Box, Center, Text } from '@mantine/core';
import { useMemo } from 'react';
import { formatLoss } from '../../common/format';

/** One line: a run's metric over steps (or seconds); validation lines are drawn as points. */
export interface CurveSeries {
  key: string;
  label: string;
  color: string;
  points: { x: number; y: number }[];
  /** Validation: few points, shown as dots on a dashed line. */
  validation?: boolean;
}

/** Above this many points per line it is thinned evenly; the eye gains nothing past it. */
const MAX_POINTS = 1000;

function thin<T>(points: T[]): T[] {
  if (points.length <= MAX_POINTS) return points;
  const stride = points.length / MAX_POINTS;
  const out = Array.from({ length: MAX_POINTS }, (_, i) => points[Math.floor(i * stride)] as T);
  out.push(points[points.length - 1] as T);
  return out;
}

/** Exponential moving average, the way TensorBoard smooths (0 = raw, 0.99 = very smooth). */
export function smooth(points: { x: number; y: number }[], weight: number) {
  if (weight <= 0) return points;
  let last = points[0]?.y ?? 0;
  return points.map((p) => {
    last = last * weight + (1 - weight) * p.y;
    return { x: p.x, y: last };
  });
}

/**
 * Several lines over one x axis. Lines are sampled at different x (runs, train vs validation),
 * so the rows are the union of every x and each line skips the rows it has no value at.
 */
export function Curves({
  series,
  xLabel,
  height = 220,
  testId,
}: {
  series: CurveSeries[];
  xLabel: string;
  height?: number;
  testId: string;
}) {
  const data = useMemo(() => {
    const rows = new Map<number, Record<string, number>>();
    for (const s of series) {
      for (const p of thin(s.points)) {
        if (!Number.isFinite(p.y)) continue;
        const row = rows.get(p.x) ?? { x: p.x };
        row[s.key] = p.y;
        rows.set(p.x, row);
      }
    }
    return [...rows.values()].sort((a, b) => (a['x'] ?? 0) - (b['x'] ?? 0));
  }, [series]);
  const validation = new Set(series.filter((s) => s.validation).map((s) => s.key));

  return (
    <Box data-testid={testId} data-series={series.length} data-points={data.length}>
      {data.length === 0 ? (
        <Center h={height} bg="var(--mantine-color-gray-0)" style={{ borderRadius: 4 }}>
          <Text size="sm" c="dimmed">
            Nothing recorded yet.
          </Text>
        </Center>
      ) : (
        <LineChart
          h={height}
          data={data}
          dataKey="x"
          series={series.map((s) => ({
            name: s.key,
            label: s.label,
            color: s.color,
            ...(s.validation ? { strokeDasharray: '4 3' } : {}),
          }))}
          curveType="linear"
          connectNulls
          strokeWidth={1.5}
          gridAxis="xy"
          withLegend={series.length > 1}
          legendProps={{ verticalAlign: 'bottom', height: 40 }}
          xAxisLabel={xLabel}
          valueFormatter={formatLoss}
          lineProps={(s) => ({
            isAnimationActive: false,
            dot: validation.has(s.name) ? { r: 3 } : false,
          })}
          xAxisProps={{ type: 'number', domain: ['dataMin', 'dataMax'], allowDecimals: false }}
          yAxisProps={{ domain: ['auto', 'auto'], width: 64 }}
        />
      )}
    </Box>
  );
}

export const RUN_COLORS = [
  'indigo.6',
  'orange.6',
  'teal.6',
  'grape.6',
  'red.6',
  'cyan.7',
  'lime.7',
  'pink.6',
];
