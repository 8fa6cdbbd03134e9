import { Alert, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { VersionSummary } from '../../../../../preload/contract';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { ConfirmPopover } from './ConfirmPopover';
import type { VersionExporter } from './useExportVersion';

/**
 * "Export" on a version row: the folder to write into (empty: a new one under the studio's
 * exports), so a bigger trainer can take exactly the items this version holds.
 */
export function ExportVersionButton({
  version,
  exporter,
}: {
  version: VersionSummary;
  exporter: VersionExporter;
}) {
  const [open, setOpen] = useState(false);
  const [folder, setFolder] = useState('');
  return (
    <ConfirmPopover
      open={open}
      onOpenChange={setOpen}
      width={340}
      trigger={{
        label: 'Export',
        testId: 'version-export',
        variant: 'subtle',
        disabled: exporter.pending !== null,
      }}
      confirm={{
        label: `Export v${version.number}`,
        testId: 'version-export-confirm',
        loading: exporter.pending === version.number,
        onClick: () => {
          setOpen(false);
          void exporter.exportVersion(version.number, folder);
        },
      }}
    >
      <Text size="sm">
        Writes v{version.number}&apos;s {version.itemCount} items as one folder per class (original
        files; texts also as one items.jsonl) with a manifest.json.
      </Text>
      <TextInput
        size="xs"
        label="Folder"
        placeholder="Empty = a new folder in the studio's exports"
        data-testid="version-export-folder"
        value={folder}
        onChange={(e) => setFolder(e.currentTarget.value)}
      />
    </ConfirmPopover>
  );
}

/** Where the last version export went (the manifest lists every file with label and split). */
export function VersionExportResultView({ exporter }: { exporter: VersionExporter }) {
  const { result, error } = exporter;
  return (
    <>
      <ErrorAlert error={error} title="Could not export the version" onClose={exporter.dismiss} />
      {result && (
        <Alert
          data-testid="version-export-result"
          color="teal"
          variant="light"
          title={`v${result.versionNumber} exported`}
          withCloseButton
          onClose={exporter.dismiss}
        >
          <Stack gap={4}>
            <Text size="sm">
              <span data-testid="version-export-count">{result.value.files}</span> items in class
              folders under{' '}
              <Text span ff="monospace" data-testid="version-export-path">
                {result.value.folder}
              </Text>
            </Text>
            <Text size="sm">
              Manifest:{' '}
              <Text span ff="monospace" data-testid="version-export-manifest">
                {result.value.manifestPath}
              </Text>
            </Text>
          </Stack>
        </Alert>
      )}
    </>
  );
}
