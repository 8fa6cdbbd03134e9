import { Group, Loader, Stack, Title } from '@mantine/core';
import { useCallback, useState } from 'react';
import type { ImportReport } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import type { Navigate } from '../shell/route';
import { DatasetDetailView } from './DatasetDetailView';
import { DatasetList } from './DatasetList';
import { ImportArea } from './ImportArea';
import { ImportReportView } from './ImportReportView';
import { useDatasetList } from './useDatasets';
import { useImport } from './useImport';

export function DatasetsPage({
  datasetId,
  navigate,
}: {
  datasetId: number | undefined;
  navigate: Navigate;
}) {
  const list = useDatasetList();
  const [report, setReport] = useState<ImportReport | null>(null);
  const reloadList = list.reload;

  const onImported = useCallback(
    (imported: ImportReport) => {
      setReport(imported);
      reloadList();
      navigate({ page: 'datasets', datasetId: imported.dataset.id });
    },
    [navigate, reloadList],
  );
  const importer = useImport(onImported);

  // The report belongs to the dataset it created; elsewhere it would only confuse.
  const visibleReport =
    report && (datasetId === undefined || report.dataset.id === datasetId) ? report : null;

  return (
    <Stack gap="md">
      <ImportArea controls={importer} />
      {visibleReport && <ImportReportView report={visibleReport} onClose={() => setReport(null)} />}
      {datasetId !== undefined ? (
        <DatasetDetailView
          key={datasetId}
          datasetId={datasetId}
          skippedShownAbove={visibleReport !== null}
          onBack={() => navigate({ page: 'datasets' })}
          onTrain={(id) => navigate({ page: 'training', datasetId: id })}
        />
      ) : (
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={3}>Datasets</Title>
            {list.loading && <Loader size="xs" />}
          </Group>
          <ErrorAlert error={list.error} title="Could not list datasets" onRetry={list.reload} />
          {list.value && (
            <DatasetList
              datasets={list.value}
              onOpen={(id) => navigate({ page: 'datasets', datasetId: id })}
            />
          )}
        </Stack>
      )}
    </Stack>
  );
}
