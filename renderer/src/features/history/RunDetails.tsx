import { Anchor, Button, Card, Code, Group, SimpleGrid, Tabs, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import type { ModelPreset, RunDetail, RunSummary } from '../../../../preload/contract';
import { useStudioEvent } from '../../api/hooks';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatDate, formatDuration, formatRate } from '../../common/format';
import { formatRoute } from '../shell/route';
import { trainingSeconds } from './compareAxis';
import { MetricCurves } from './MetricCurves';
import { RunNotes } from './RunNotes';
import { RunReportResult } from './RunReportResult';
import { SampleTimeline } from './SampleTimeline';
import { useRunDetails, type useRunHistoryActions } from './useRunHistory';
import { useRunReport } from './useRunReport';

function Fact({ label, testId, children }: { label: string; testId: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId}>
        {children}
      </Text>
    </div>
  );
}

/** The dataset version a run trained on, linked to the dataset (lineage), with its audit score. */
export function VersionLink({ run }: { run: RunSummary }) {
  return (
    <Anchor
      href={formatRoute({ page: 'datasets', datasetId: run.datasetId })}
      size="sm"
      data-testid="run-version-link"
      onClick={(e) => e.stopPropagation()}
    >
      {run.datasetName} v{run.versionNumber}
      {run.versionAuditScore !== null ? ` · audit ${Math.round(run.versionAuditScore)}` : ''}
    </Anchor>
  );
}

/** "3 (a 1, b 2), trained on" — or that the run left them out, or that there are none. */
function syntheticFact(synthetic: RunDetail['synthetic'] | undefined): string {
  if (!synthetic || synthetic.count === 0) return 'none in this version';
  const perClass = synthetic.perClass.map((c) => `${c.label ?? 'unlabeled'} ${c.count}`).join(', ');
  return `${synthetic.count} (${perClass}), ${synthetic.included ? 'trained on' : 'left out'}`;
}

function Overview({ detail, preset }: { detail: RunDetail; preset: ModelPreset | undefined }) {
  // Training time, not end minus start: a resumed run's started_at is its last session's.
  const seconds = trainingSeconds(detail);
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm" data-testid="run-facts">
      <Fact label="Dataset version" testId="run-fact-version">
        <VersionLink run={detail} />
      </Fact>
      <Fact label="Steps" testId="run-fact-steps">
        {detail.step} / {detail.totalSteps}
      </Fact>
      <Fact label="Training time" testId="run-fact-wall">
        {formatDuration(seconds)}
      </Fact>
      <Fact label="Steps / s" testId="run-fact-rate">
        {formatRate(seconds ? detail.step / seconds : null)}
      </Fact>
      <Fact label="Backend" testId="run-fact-backend">
        {detail.backend ?? '—'}
      </Fact>
      <Fact label="Parameters (preset)" testId="run-fact-params">
        {preset ? preset.params.toLocaleString() : '—'}
      </Fact>
      <Fact label="Checkpoint" testId="run-fact-checkpoint">
        {detail.checkpointStep === null
          ? 'none'
          : `step ${detail.checkpointStep}${detail.checkpointAt ? `, ${formatDate(detail.checkpointAt)}` : ''}`}
      </Fact>
      <Fact label="Started" testId="run-fact-started">
        {formatDate(detail.startedAt ?? detail.createdAt)}
      </Fact>
      <Fact label="Synthetic items" testId="run-fact-synthetic">
        {syntheticFact(detail.synthetic)}
      </Fact>
    </SimpleGrid>
  );
}

/**
 * The run view below the live panel: what it is (resolved config, version, cost, checkpoint),
 * every metric's curve, the grids over training, and what can be done with it.
 */
export function RunDetails({
  run,
  presets,
  actions,
  onTrainAgain,
  onDelete,
}: {
  run: RunSummary;
  presets: ModelPreset[];
  actions: ReturnType<typeof useRunHistoryActions>;
  onTrainAgain: (detail: RunDetail) => void;
  onDelete: (runIds: number[]) => void;
}) {
  const details = useRunDetails([run.id]);
  useStudioEvent('runs:status', (s) => {
    if (s.id === run.id) details.reload();
  });
  const detail = details.value?.[0]?.id === run.id ? details.value[0] : null;
  const preset = presets.find((p) => p.id === run.presetId);
  const report = useRunReport(run.id);
  return (
    <Card withBorder data-testid="run-details" data-run-id={run.id}>
      <Group justify="space-between" mb="xs">
        <Text fw={600}>{run.name ?? `Run #${run.id}`}</Text>
        <Group gap="xs">
          <Button
            size="xs"
            variant="light"
            data-testid="run-report"
            loading={report.pending}
            onClick={() => void report.exportReport()}
          >
            Report
          </Button>
          <Button
            size="xs"
            variant="light"
            data-testid="run-train-again"
            disabled={!detail}
            onClick={() => detail && onTrainAgain(detail)}
          >
            Train again with…
          </Button>
          <Button
            size="xs"
            variant="default"
            data-testid="run-archive"
            onClick={() => void actions.archive([run.id], run.archivedAt === null)}
          >
            {run.archivedAt === null ? 'Archive' : 'Unarchive'}
          </Button>
          <Button
            size="xs"
            color="red"
            variant="subtle"
            data-testid="run-delete"
            onClick={() => onDelete([run.id])}
          >
            Delete…
          </Button>
        </Group>
      </Group>
      <ErrorAlert error={details.error} title="Could not load the run" onRetry={details.reload} />
      <RunReportResult report={report} />
      {detail && (
        <Tabs defaultValue="overview" keepMounted={false}>
          <Tabs.List mb="sm">
            <Tabs.Tab value="overview" data-testid="run-tab-overview">
              Overview
            </Tabs.Tab>
            <Tabs.Tab value="curves" data-testid="run-tab-curves">
              Curves
            </Tabs.Tab>
            <Tabs.Tab value="samples" data-testid="run-tab-samples">
              Samples over training
            </Tabs.Tab>
            <Tabs.Tab value="config" data-testid="run-tab-config">
              Config
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="overview">
            <Overview detail={detail} preset={preset} />
            <RunNotes
              key={run.id}
              run={run}
              saving={actions.pending}
              onSave={(c) => void actions.annotate(c)}
            />
          </Tabs.Panel>
          <Tabs.Panel value="curves">
            <MetricCurves metrics={detail.metrics} />
          </Tabs.Panel>
          <Tabs.Panel value="samples">
            <SampleTimeline runId={run.id} />
          </Tabs.Panel>
          <Tabs.Panel value="config">
            <Code block data-testid="run-config">
              {JSON.stringify(detail.config, null, 2)}
            </Code>
          </Tabs.Panel>
        </Tabs>
      )}
    </Card>
  );
}
