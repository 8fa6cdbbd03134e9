import { Grid, Stack, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { RunDetail } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useRunList } from '../../common/useRunList';
import { useDatasetList } from '../datasets/useDatasets';
import { DeleteRunsDialog } from '../history/DeleteRunsDialog';
import { RunDetails } from '../history/RunDetails';
import { RunsTable } from '../history/RunsTable';
import { useRunHistoryActions } from '../history/useRunHistory';
import type { Navigate } from '../shell/route';
import { RunPanel } from './RunPanel';
import { TrainForm } from './TrainForm';
import { isActive, usePresets, useRunActions } from './useRuns';

type Prefill = NonNullable<Parameters<typeof TrainForm>[0]['prefill']>;

function prefillFrom(detail: RunDetail): Prefill {
  const training = (detail.config['training'] ?? {}) as { steps?: unknown };
  return {
    runId: detail.id,
    presetId: detail.presetId,
    steps: typeof training.steps === 'number' ? training.steps : detail.totalSteps,
    versionId: detail.versionId,
    includeSynthetic: detail.synthetic.included,
  };
}

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
  const [showArchived, setShowArchived] = useState(false);
  const runList = useRunList(showArchived);
  const actions = useRunActions();
  const { upsert, reload } = runList;
  const history = useRunHistoryActions(upsert, reload);
  const [deleting, setDeleting] = useState<number[] | null>(null);
  const [prefill, setPrefill] = useState<Prefill | undefined>(undefined);

  // Without an explicit choice, show what is happening now, else the newest run.
  const selectedId =
    runId ?? runList.runs.find((r) => isActive(r.status))?.id ?? runList.runs[0]?.id ?? null;
  const selected = runList.runs.find((r) => r.id === selectedId) ?? null;

  const select = (id: number) => navigate({ page: 'training', datasetId, runId: id });
  const trainAgain = useCallback(
    (detail: RunDetail) => {
      setPrefill(prefillFrom(detail));
      navigate({ page: 'training', datasetId: detail.datasetId, runId: detail.id });
      window.scrollTo({ top: 0, behavior: 'smooth' });
    },
    [navigate],
  );

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
        error={actions.error ?? history.error}
        title="Training action failed"
        onClose={() => {
          actions.clearError();
          history.clearError();
        }}
      />
      <Grid gap="md" align="stretch">
        <Grid.Col span={{ base: 12, md: 4 }}>
          <TrainForm
            key={prefill?.runId ?? 'new'}
            prefill={prefill}
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
                setPrefill(undefined);
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
      <RunsTable
        runs={runList.runs}
        selectedId={selectedId}
        onSelect={select}
        showArchived={showArchived}
        onShowArchived={setShowArchived}
        onCompare={(runIds) => navigate({ page: 'compare', runIds })}
        onArchive={(runIds, archived) => void history.archive(runIds, archived)}
        onDelete={setDeleting}
      />
      {selected && (
        <RunDetails
          run={selected}
          presets={presets.value ?? []}
          actions={history}
          onTrainAgain={trainAgain}
          onDelete={setDeleting}
        />
      )}
      <DeleteRunsDialog runIds={deleting} actions={history} onClose={() => setDeleting(null)} />
    </Stack>
  );
}
