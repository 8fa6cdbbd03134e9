import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useStudio } from '../../api/StudioContext';
import type { useExportSamples } from './useExportSamples';

/**
 * Exports the chosen samples, or with none chosen the starred ones under the current filters
 * (`starredIds` fetches them all when the button is pressed).
 */
export function ExportPanel({
  selectedIds,
  starredCount,
  starredIds,
  exporter,
}: {
  selectedIds: number[];
  starredCount: number;
  starredIds: () => Promise<number[]>;
  exporter: ReturnType<typeof useExportSamples>;
}) {
  const { shell } = useStudio();
  const [folder, setFolder] = useState('');
  const { result, error, pending } = exporter;
  // An export into a folder of the person's choosing has no download id (zipId is empty).
  const zipUrl = result?.zipId ? shell.exportDownloadUrl(result.zipId) : null;

  return (
    <Stack gap="sm">
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label="Export folder"
          placeholder="Empty = the studio's default export folder"
          data-testid="export-folder-input"
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button
          data-testid="export-button"
          disabled={selectedIds.length === 0 && starredCount === 0}
          loading={pending}
          onClick={() =>
            void (selectedIds.length > 0 ? Promise.resolve(selectedIds) : starredIds()).then(
              (ids) => exporter.exportSamples(ids, folder),
            )
          }
        >
          {selectedIds.length > 0
            ? `Export ${selectedIds.length} selected`
            : `Export ${starredCount} starred`}{' '}
          + provenance, ZIP
        </Button>
      </Group>
      <ErrorAlert error={error} title="Export failed" onClose={exporter.dismiss} />
      {result && (
        <Alert
          data-testid="export-result"
          color="teal"
          variant="light"
          title="Exported"
          withCloseButton
          onClose={exporter.dismiss}
        >
          <Stack gap={4}>
            <Text size="sm">
              <span data-testid="export-file-count">{result.files.length}</span> file
              {result.files.length === 1 ? '' : 's'} (samples and provenance.json) written to{' '}
              <Text span ff="monospace" data-testid="export-folder">
                {result.folder}
              </Text>
            </Text>
            <Text size="sm">
              ZIP:{' '}
              <Text span ff="monospace" data-testid="export-zip-path">
                {result.zipPath}
              </Text>
            </Text>
            {zipUrl && (
              <Anchor href={zipUrl} download data-testid="export-zip-link" size="sm" fw={600}>
                Download the ZIP
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
