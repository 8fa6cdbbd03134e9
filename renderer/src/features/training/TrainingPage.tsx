import { Grid, Stack, Title } from '@mantine/core';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useDatasetList } from '../datasets/useDatasets';
import type { Navigate } from '../shell/route';
import { RunHistory } from './RunHistory';
import { RunPanel } from './RunPanel';
import { TrainForm } from './TrainForm';
import { useRunList } from '../../common/useRunList';
import { isActive, usePresets, useRunActions } from './useRuns';

export function TrainingPage({
  datasetId,
  runId,
  navigate,
}: {
  datasetId: number | undefined;
  runId: number | undefined;
  navigate: Navigate;
}) {
  const datasets = useDatasetList();
  const presets = usePresets();
  const runList = useRunList();
  const actions = useRunActions();

  // Without an explicit choice, show what is happening now, else the newest run.
  const selectedId =
    runId ?? runList.runs.find((r) => isActive(r.status))?.id ?? runList.runs[0]?.id ?? null;

  const select = (id: number) => navigate({ page: 'training', datasetId, runId: id });

  return (
    <Stack gap="md">
      <Title order={2}>Training</Title>
      <ErrorAlert
        error={datasets.error}
        title="Could not list datasets"
        onRetry={datasets.reload}
      />
      <ErrorAlert error={presets.error} title="Could not list presets" onRetry={presets.reload} />
      <ErrorAlert error={runList.error} title="Could not list runs" onRetry={runList.reload} />
      <ErrorAlert
        error={actions.error}
        title="Training action failed"
        onClose={actions.clearError}
      />
      <Grid gap="md" align="stretch">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <TrainForm
            datasets={datasets.value ?? []}
            presets={presets.value ?? []}
            datasetId={datasetId}
            onDatasetChange={(id) =>
              navigate({ page: 'training', datasetId: id, runId }, { replace: true })
            }
            starting={actions.pending === 'start'}
            onStart={(args) => {
              void actions.start(args).then((run) => {
                if (!run) return;
                runList.addIfMissing(run);
                navigate({ page: 'training', datasetId: args.datasetId, runId: run.id });
              });
            }}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <RunPanel
            runId={selectedId}
            actions={actions}
            onOpenGallery={(id) => navigate({ page: 'gallery', runId: id })}
          />
        </Grid.Col>
      </Grid>
      <RunHistory runs={runList.runs} selectedId={selectedId} onSelect={select} />
    </Stack>
  );
}
