import {
  Anchor,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Slider,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import type { RunDetail } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import type { Navigate } from '../shell/route';
import { CompareSamples } from './CompareSamples';
import { CompareTables } from './CompareTables';
import { Curves, RUN_COLORS, smooth, type CurveSeries } from './Curves';
import { baseMetricNames } from '../../../../shared/runs/metricNames';
import { pointsAt, type XAxis } from './compareAxis';
import { runLabel } from './runTableModel';
import { useRunComparison, useRunDetails } from './useRunHistory';

function OverlaidCurves({ details }: { details: RunDetail[] }) {
  const names = useMemo(() => baseMetricNames(details.flatMap((d) => d.metrics)), [details]);
  const [chosen, setChosen] = useState<string | null>(null);
  const metric = chosen && names.includes(chosen) ? chosen : (names[0] ?? 'loss');
  const [xAxis, setXAxis] = useState<XAxis>('step');
  const [smoothing, setSmoothing] = useState(0.6);

  const { series, estimated } = useMemo(() => {
    const out: CurveSeries[] = [];
    let anyEstimated = false;
    details.forEach((run, i) => {
      const color = RUN_COLORS[i % RUN_COLORS.length] ?? 'gray.6';
      const train = pointsAt(run, metric, xAxis);
      if (train && train.points.length) {
        anyEstimated ||= train.estimated;
        out.push({
          key: `r${run.id}`,
          label: runLabel(run),
          color,
          points: smooth(train.points, smoothing),
        });
      }
      const validation = pointsAt(run, `val_${metric}`, xAxis);
      if (validation && validation.points.length) {
        anyEstimated ||= validation.estimated;
        out.push({
          key: `r${run.id}_val`,
          label: `${runLabel(run)} validation`,
          color,
          points: validation.points,
          validation: true,
        });
      }
    });
    return { series: out, estimated: anyEstimated };
  }, [details, metric, xAxis, smoothing]);

  return (
    <Card withBorder data-testid="compare-curves-card">
      <Group justify="space-between" mb="xs" wrap="wrap">
        <Group gap="xs">
          <Text fw={600}>Curves</Text>
          <Select
            size="xs"
            w={160}
            data-testid="compare-metric"
            data={names}
            value={metric}
            onChange={setChosen}
            allowDeselect={false}
          />
        </Group>
        <Group gap="md">
          <SegmentedControl
            size="xs"
            data-testid="compare-x-axis"
            value={xAxis}
            onChange={(v) => setXAxis(v as XAxis)}
            data={[
              { value: 'step', label: 'by step' },
              { value: 'time', label: 'by wall time' },
            ]}
          />
          <Group gap={6} w={220}>
            <Text size="xs" c="dimmed">
              {smoothing === 0 ? 'raw' : `smoothing ${smoothing.toFixed(2)}`}
            </Text>
            <Slider
              style={{ flex: 1 }}
              size="sm"
              min={0}
              max={0.99}
              step={0.01}
              value={smoothing}
              onChange={setSmoothing}
              data-testid="compare-smoothing"
              label={null}
            />
          </Group>
        </Group>
      </Group>
      <Curves
        series={series}
        xLabel={
          xAxis === 'step'
            ? 'step'
            : estimated
              ? "seconds (older runs: each run's average rate)"
              : 'seconds of training'
        }
        height={280}
        testId="compare-curves"
      />
    </Card>
  );
}

/** 2 to 8 runs side by side: curves overlaid, metrics with the best marked, what differs. */
export function ComparePage({ runIds, navigate }: { runIds: number[]; navigate: Navigate }) {
  const comparison = useRunComparison(runIds);
  const details = useRunDetails(runIds);
  return (
    <Stack gap="md" data-testid="compare-page">
      <Anchor
        component="button"
        size="sm"
        w="fit-content"
        onClick={() => navigate({ page: 'training' })}
      >
        ← Run history
      </Anchor>
      <Title order={2}>Compare runs {runIds.map((id) => `#${id}`).join(', ')}</Title>
      <ErrorAlert
        error={comparison.error ?? details.error}
        title="Could not compare the runs"
        onRetry={() => {
          comparison.reload();
          details.reload();
        }}
      />
      {(comparison.loading || details.loading) && !comparison.value && <Loader size="sm" />}
      {details.value && <OverlaidCurves details={details.value} />}
      {comparison.value && <CompareTables comparison={comparison.value} />}
      {comparison.value && <CompareSamples comparison={comparison.value} />}
    </Stack>
  );
}
