import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import type { RunProgress, RunStatus, RunSummary } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatDuration, formatLoss, formatRate } from '../../common/format';
import { useStudio } from '../../api/StudioContext';
import { useSamples } from '../../common/useSamples';
import { ReportCard } from '../evaluation/ReportCard';
import { CheckpointLine } from './CheckpointLine';
import { LossChart } from './LossChart';
import { RunAlarms } from './RunAlarms';
import { GeneratePanel } from './GeneratePanel';
import { ModelExportPanel } from './ModelExportPanel';
import { isActive, useLiveRun, type useRunActions } from './useRuns';

export const STATUS_COLOR: Record<RunStatus, string> = {
  queued: 'gray',
  running: 'blue',
  completed: 'teal',
  stopped: 'yellow',
  failed: 'red',
  interrupted: 'orange',
};

export function StatusBadge({ status, testId }: { status: RunStatus; testId?: string }) {
  return (
    <Badge
      data-testid={testId}
      data-status={status}
      color={STATUS_COLOR[status]}
      variant={status === 'running' ? 'filled' : 'light'}
      style={{ textTransform: 'none' }}
    >
      {status}
    </Badge>
  );
}

/** Average rate over the whole run, for runs that no longer stream progress. */
function averageRate(run: RunSummary): number | null {
  if (!run.startedAt || run.step <= 0) return null;
  const end = run.endedAt ? Date.parse(run.endedAt) : Date.now();
  const seconds = (end - Date.parse(run.startedAt)) / 1000;
  return seconds > 0 ? run.step / seconds : null;
}

function Figure({
  label,
  testId,
  children,
}: {
  label: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600} data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

function Figures({ run, progress }: { run: RunSummary; progress: RunProgress | null }) {
  const active = isActive(run.status);
  const rate = progress?.stepsPerSecond ?? averageRate(run);
  const eta = active ? (progress?.etaSeconds ?? null) : run.status === 'completed' ? 0 : null;
  const loss = progress?.metrics['loss'] ?? run.lastLoss;
  return (
    <SimpleGrid cols={4}>
      <Figure label="Step" testId="run-step">
        {run.step} / {run.totalSteps}
      </Figure>
      <Figure label="Rate" testId="run-rate">
        {formatRate(rate)}
      </Figure>
      <Figure label="ETA" testId="run-eta">
        {formatDuration(eta)}
      </Figure>
      <Figure label="Loss" testId="run-loss">
        {formatLoss(loss)}
      </Figure>
    </SimpleGrid>
  );
}

function LatestSamples({ runId, onOpenGallery }: { runId: number; onOpenGallery: () => void }) {
  const { shell } = useStudio();
  const samples = useSamples(runId);
  const list = samples.value ?? [];
  const lastStep = list.reduce((max, s) => Math.max(max, s.step), -1);
  const latest = list.filter((s) => s.step === lastStep).slice(0, 16);
  return (
    <div>
      <Group justify="space-between" mb={6}>
        <Text size="sm" fw={600}>
          Latest samples{lastStep >= 0 ? ` (step ${lastStep})` : ''}
        </Text>
        {list.length > 0 && (
          <Anchor component="button" size="sm" onClick={onOpenGallery}>
            All {list.length} in the gallery →
          </Anchor>
        )}
      </Group>
      {latest.length === 0 ? (
        <Text size="sm" c="dimmed">
          Samples appear here as the model draws them during training.
        </Text>
      ) : (
        <Group gap={6}>
          {latest.map((s) =>
            s.kind === 'text' ? (
              <Text
                key={s.id}
                data-testid="run-sample"
                size="xs"
                ff="monospace"
                w="100%"
                style={{ whiteSpace: 'pre-wrap' }}
              >
                {s.text}
              </Text>
            ) : (
              <img
                key={s.id}
                data-testid="run-sample"
                src={shell.mediaUrl('sample', s.id)}
                alt={`Sample ${s.index} at step ${s.step}`}
                width={56}
                height={56}
                style={{ imageRendering: 'pixelated', borderRadius: 4, background: '#eee' }}
              />
            ),
          )}
        </Group>
      )}
    </div>
  );
}

export function RunPanel({
  runId,
  actions,
  onOpenGallery,
}: {
  runId: number | null;
  actions: ReturnType<typeof useRunActions>;
  onOpenGallery: (runId: number) => void;
}) {
  const live = useLiveRun(runId);
  const run = live.summary;

  if (runId === null) {
    return (
      <Card withBorder h="100%">
        <Text c="dimmed">
          No run selected. Choose a dataset and a preset, then press “Start training”.
        </Text>
      </Card>
    );
  }

  const percent = run && run.totalSteps > 0 ? Math.round((run.step / run.totalSteps) * 100) : 0;
  const active = run ? isActive(run.status) : false;

  return (
    <Card withBorder data-testid="run-panel" data-run-id={runId}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={4}>Run #{runId}</Title>
            {run && <StatusBadge status={run.status} testId="run-status" />}
            {run && (
              <Text size="sm" c="dimmed">
                {run.datasetName} · {run.presetId}
                {run.backend ? ` · ${run.backend}` : ''}
              </Text>
            )}
          </Group>
          {run && !active && run.checkpointStep !== null && run.status !== 'completed' && (
            <Button
              variant="light"
              data-testid="train-resume"
              loading={actions.pending === 'resume'}
              onClick={() => void actions.resume(runId)}
            >
              Resume from step {run.checkpointStep}
            </Button>
          )}
          {active && (
            <Button
              color="red"
              variant="light"
              data-testid="train-stop"
              loading={actions.pending === 'stop'}
              onClick={() => void actions.stop(runId)}
            >
              Stop
            </Button>
          )}
        </Group>
        <ErrorAlert error={live.error} title="Could not load the run" onRetry={live.reload} />
        {!run && live.loading && <Loader size="sm" />}
        {run && (
          <>
            <Progress
              data-testid="run-progress"
              data-value={percent}
              value={percent}
              size="lg"
              animated={run.status === 'running'}
              striped={run.status === 'running'}
              color={STATUS_COLOR[run.status]}
            />
            <Figures run={run} progress={live.progress} />
            <CheckpointLine run={run} />
            <RunAlarms run={run} />
            {run.message && (
              <Alert
                color={run.status === 'failed' ? 'red' : 'yellow'}
                variant="light"
                data-testid="run-message"
              >
                {run.message}
              </Alert>
            )}
            <LossChart metrics={live.metrics} />
            <ReportCard run={run} metrics={live.metrics} onEvaluated={live.reload} />
            <LatestSamples runId={runId} onOpenGallery={() => onOpenGallery(runId)} />
            {!active && <GeneratePanel run={run} />}
            <ModelExportPanel run={run} />
          </>
        )}
      </Stack>
    </Card>
  );
}
