import { Badge, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { DatasetKind, VersionSummary } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { ConfirmPopover } from './ConfirmPopover';
import { formatDate } from '../../../common/format';
import { CompareTrainingPanel } from './CompareTraining';
import { useCompare } from './useCompare';
import { useExportVersion } from './useExportVersion';
import { ExportVersionButton, VersionExportResultView } from './VersionExport';
import type { VersionActions } from './useVersions';

function RestoreButton({
  latestId,
  version,
  actions,
}: {
  latestId: number;
  version: VersionSummary;
  actions: VersionActions;
}) {
  const [open, setOpen] = useState(false);
  const preview = useCompare(latestId, open ? version.id : null);
  return (
    <ConfirmPopover
      open={open}
      onOpenChange={setOpen}
      width={300}
      trigger={{
        label: 'Restore',
        testId: 'version-restore',
        variant: 'light',
        disabled: actions.pending !== null,
      }}
      confirm={{
        label: `Restore v${version.number}`,
        testId: 'version-restore-confirm',
        loading: actions.pending === 'restore',
        disabled: preview.value?.summary === 'no changes',
        onClick: () => {
          void actions.restore(version.id).then((made) => made && setOpen(false));
        },
      }}
    >
      <Text size="sm">
        Restoring v{version.number} makes a new version with its items, labels and settings.
      </Text>
      {preview.error && <ErrorAlert error={preview.error} />}
      {preview.loading && <Loader size="xs" />}
      {preview.value && (
        <Text size="sm" fw={500} data-testid="version-restore-preview">
          {preview.value.summary === 'no changes'
            ? `v${version.number} has the same content as the newest version.`
            : `Changes: ${preview.value.summary}`}
        </Text>
      )}
    </ConfirmPopover>
  );
}

/** Every version of the dataset, newest first, each with the diff from its parent. */
export function VersionHistory({
  datasetId,
  kind,
  versions,
  actions,
}: {
  datasetId: number;
  kind: DatasetKind;
  versions: VersionSummary[];
  actions: VersionActions;
}) {
  const exporter = useExportVersion(datasetId);
  const latest = versions[0];
  if (!latest) return null;
  return (
    <Stack gap="sm">
      <ErrorAlert error={actions.error} title="The change was not made" onClose={actions.dismiss} />
      <VersionExportResultView exporter={exporter} />
      <CompareTrainingPanel datasetId={datasetId} kind={kind} versions={versions} />
      <Table.ScrollContainer minWidth={640} maxHeight={520}>
        <Table verticalSpacing={6} fz="sm" data-testid="version-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Change</Table.Th>
              <Table.Th ta="right">Items</Table.Th>
              <Table.Th ta="right">Train / val</Table.Th>
              <Table.Th>Made</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {versions.map((v) => (
              <Table.Tr
                key={v.id}
                data-testid="version-row"
                data-number={v.number}
                data-version-id={v.id}
              >
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <Text fw={600} size="sm">
                      v{v.number}
                    </Text>
                    {v.id === latest.id && (
                      <Badge size="xs" variant="light" data-testid="version-latest">
                        newest
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td data-testid="version-note">{v.note}</Table.Td>
                <Table.Td ta="right" data-testid="version-item-count">
                  {v.itemCount}
                  {v.syntheticCount > 0 && (
                    <Text span size="xs" c="grape" data-testid="version-synthetic-count">
                      {' '}
                      ({v.syntheticCount} synthetic)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" c="dimmed">
                  {v.trainCount} / {v.validationCount}
                </Table.Td>
                <Table.Td c="dimmed">{formatDate(v.createdAt)}</Table.Td>
                <Table.Td ta="right">
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ExportVersionButton version={v} exporter={exporter} />
                    {v.id !== latest.id && (
                      <RestoreButton latestId={latest.id} version={v} actions={actions} />
                    )}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
