import {
  Anchor,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Tabs,
  Text,
  Title,
} from '@mantine/core';
import { useState, type ReactNode } from 'react';
import type { DatasetDetail, DatasetKind, VersionDetail } from '../../../../preload/contract';
import { AuditPanel } from './audit/AuditPanel';
import { QualityStat } from './audit/QualityStat';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatDate } from '../../common/format';
import type { BrowseControls } from './browse/BrowseToolbar';
import { ClassHistogram } from './browse/ClassHistogram';
import { ItemBrowser } from './browse/ItemBrowser';
import { TextStatsPanel } from './browse/TextStatsPanel';
import { PreparePanel } from './prepare/PreparePanel';
import { SkippedFilesTable } from './SkippedFilesTable';
import { useDatasetDetail } from './useDatasets';
import { VersionBar } from './versions/VersionBar';
import { VersionHistory } from './versions/VersionHistory';
import { VersionRuns } from '../history/VersionRuns';
import {
  useVersionActions,
  useVersionDetail,
  useVersionList,
  type VersionActions,
} from './versions/useVersions';

type TabName = 'browse' | 'audit' | 'prepare' | 'history';

const DEFAULT_CONTROLS: BrowseControls = {
  labelFilter: { kind: 'all' },
  filter: 'all',
  sort: 'path',
  descending: false,
};

function Stat({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fw={600} size="lg" component="div">
        {children}
      </Text>
    </div>
  );
}

function History({
  datasetId,
  kind,
  actions,
}: {
  datasetId: number;
  kind: DatasetKind;
  actions: VersionActions;
}) {
  const list = useVersionList(datasetId);
  return (
    <Stack gap="sm">
      <ErrorAlert error={list.error} title="Could not list the versions" onRetry={list.reload} />
      {!list.value && list.loading && <Loader size="sm" />}
      {list.value && (
        <VersionHistory datasetId={datasetId} kind={kind} versions={list.value} actions={actions} />
      )}
      <VersionRuns datasetId={datasetId} />
    </Stack>
  );
}

function BrowseTab({
  dataset,
  version,
  actions,
  skippedShownAbove,
  controls,
  onControlsChange,
}: {
  dataset: DatasetDetail;
  version: VersionDetail;
  actions: VersionActions;
  skippedShownAbove: boolean;
  controls: BrowseControls;
  onControlsChange: (next: BrowseControls) => void;
}) {
  const isText = dataset.kind === 'text';
  const labelled = version.classes.some((c) => c.label !== null);
  return (
    <Stack gap="md">
      {isText && (
        <Card withBorder>
          <TextStatsPanel versionId={version.id} />
        </Card>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        {(!isText || labelled) && (
          <Card withBorder>
            <Title order={4} mb="xs">
              Classes
            </Title>
            <ClassHistogram
              classes={version.classes}
              filter={controls.labelFilter}
              onFilter={(labelFilter) => onControlsChange({ ...controls, labelFilter })}
            />
          </Card>
        )}
        <Card withBorder data-testid="dataset-skipped">
          <Title order={4} mb="xs">
            Skipped files
          </Title>
          {skippedShownAbove && dataset.skippedTotal > 0 ? (
            <Text size="sm" c="dimmed">
              {dataset.skippedTotal} file{dataset.skippedTotal === 1 ? '' : 's'}, listed in the
              import report above.
            </Text>
          ) : (
            <SkippedFilesTable skipped={dataset.skipped} total={dataset.skippedTotal} />
          )}
          {dataset.notes?.length > 0 && (
            <Text size="xs" c="dimmed" mt="xs" data-testid="dataset-notes">
              {dataset.notesTotal} imported file{dataset.notesTotal === 1 ? '' : 's'} with a remark,
              e.g. {dataset.notes[0]?.sourcePath}: {dataset.notes[0]?.reason}
            </Text>
          )}
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Title order={4} mb="xs">
          {isText ? 'Texts' : 'Images'}
        </Title>
        <ItemBrowser
          datasetId={dataset.id}
          kind={dataset.kind}
          version={version}
          actions={actions}
          controls={controls}
          onControlsChange={onControlsChange}
        />
      </Card>
    </Stack>
  );
}

export function DatasetDetailView({
  datasetId,
  skippedShownAbove,
  onBack,
  onTrain,
}: {
  datasetId: number;
  /** The fresh import report already lists the skipped files; listing them twice only confuses. */
  skippedShownAbove: boolean;
  onBack: () => void;
  onTrain: (datasetId: number) => void;
}) {
  const detail = useDatasetDetail(datasetId);
  const dataset = detail.value?.id === datasetId ? detail.value : null;
  const versionState = useVersionDetail(dataset?.latestVersionId ?? null);
  // The version on screen; while a newer one loads the older stays, so nothing flickers.
  const version = versionState.value?.datasetId === datasetId ? versionState.value : null;
  const actions = useVersionActions(datasetId, version?.id ?? null);
  const [tab, setTab] = useState<TabName>('browse');
  const [controls, setControls] = useState<BrowseControls>(DEFAULT_CONTROLS);

  return (
    <Stack gap="md" data-testid="dataset-detail">
      <Anchor component="button" size="sm" onClick={onBack} w="fit-content">
        ← All datasets
      </Anchor>
      <ErrorAlert error={detail.error} title="Could not open the dataset" onRetry={detail.reload} />
      <ErrorAlert
        error={versionState.error}
        title="Could not open the version"
        onRetry={versionState.reload}
      />
      {!dataset && detail.loading && <Loader size="sm" />}
      {dataset && (
        <>
          <Group justify="space-between" align="flex-start">
            <div>
              <Title order={2} data-testid="dataset-name">
                {dataset.name}
              </Title>
              <Text size="sm" c="dimmed" ff="monospace">
                {dataset.sourcePath}
              </Text>
            </div>
            <Button
              data-testid="train-on-dataset"
              onClick={() => onTrain(dataset.id)}
              disabled={dataset.itemCount === 0}
            >
              Train on this dataset
            </Button>
          </Group>
          <Card withBorder>
            <SimpleGrid cols={{ base: 2, sm: 6 }}>
              <Stat label="Items">
                <span data-testid="dataset-item-count">{dataset.itemCount}</span>
              </Stat>
              <Stat label="Classes">{dataset.classCount}</Stat>
              <Stat label="Train / validation">
                {version ? `${version.trainCount} / ${version.validationCount}` : '—'}
              </Stat>
              <Stat label="Skipped">{dataset.skippedTotal}</Stat>
              <Stat label="Quality">
                <QualityStat datasetId={dataset.id} currentVersionId={version?.id ?? null} />
              </Stat>
              <Stat label="Imported">
                <Text size="sm">{formatDate(dataset.createdAt)}</Text>
              </Stat>
            </SimpleGrid>
          </Card>
          {version && (
            <VersionBar
              version={version}
              actions={actions}
              onShowHistory={() => setTab('history')}
            />
          )}
          {!version && versionState.loading && <Loader size="sm" />}
          {version && (
            <Tabs
              value={tab}
              onChange={(v) => setTab((v as TabName | null) ?? 'browse')}
              keepMounted={false}
            >
              <Tabs.List>
                <Tabs.Tab value="browse" data-testid="tab-browse">
                  Browse
                </Tabs.Tab>
                <Tabs.Tab value="audit" data-testid="tab-audit">
                  Audit
                </Tabs.Tab>
                <Tabs.Tab value="prepare" data-testid="tab-prepare">
                  Prepare
                </Tabs.Tab>
                <Tabs.Tab value="history" data-testid="tab-history">
                  History
                </Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="browse" pt="md">
                <BrowseTab
                  dataset={dataset}
                  version={version}
                  actions={actions}
                  skippedShownAbove={skippedShownAbove}
                  controls={controls}
                  onControlsChange={setControls}
                />
              </Tabs.Panel>
              <Tabs.Panel value="audit" pt="md">
                <AuditPanel
                  datasetId={dataset.id}
                  kind={dataset.kind}
                  currentVersionId={version.id}
                />
              </Tabs.Panel>
              <Tabs.Panel value="prepare" pt="md">
                <PreparePanel
                  datasetId={dataset.id}
                  kind={dataset.kind}
                  version={version}
                  actions={actions}
                />
              </Tabs.Panel>
              <Tabs.Panel value="history" pt="md">
                <History datasetId={dataset.id} kind={dataset.kind} actions={actions} />
              </Tabs.Panel>
            </Tabs>
          )}
        </>
      )}
    </Stack>
  );
}
