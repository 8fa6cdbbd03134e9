import { Button, Group, Paper, Progress, Stack, Text } from '@mantine/core';
import { useRef, useState, type DragEvent } from 'react';
import { ErrorAlert } from '../../common/ErrorAlert';
import { formatDuration } from '../../common/format';
import type { ImportReport } from '../../../../preload/contract';
import { ImportOptions } from './ImportOptions';
import type { useImport } from './useImport';

type ImportControls = ReturnType<typeof useImport>;

function ImportProgressView({ controls }: { controls: ImportControls }) {
  const { state, cancel } = controls;
  const uploading = state.phase === 'uploading';
  const scanning = state.phase === 'scanning';
  const percent = state.total > 0 ? Math.round((state.done / state.total) * 100) : 0;
  const rate = state.filesPerSecond;
  const verb = scanning ? 'Reading' : uploading ? 'Uploading' : 'Importing';
  return (
    <Stack gap={6} data-testid="import-progress" data-done={state.done} data-total={state.total}>
      <Group justify="space-between">
        <Text size="sm" fw={500}>
          {verb} {state.name ? `“${state.name}”` : 'the folder'}
          {!scanning && state.total > 0 && (
            <>
              {' — '}
              <span data-testid="import-progress-count">
                {state.done} / {state.total}
              </span>{' '}
              files
            </>
          )}
        </Text>
        {(uploading || state.phase === 'importing') && (
          <Button size="xs" variant="default" onClick={cancel} data-testid="import-cancel">
            Cancel
          </Button>
        )}
      </Group>
      <Progress
        value={scanning || state.total === 0 ? 100 : percent}
        animated={scanning || state.total === 0}
        striped={scanning || state.total === 0}
      />
      {rate !== null && (
        <Text size="xs" c="dimmed" data-testid="import-progress-rate">
          {rate.toFixed(rate < 10 ? 1 : 0)} files/s · {formatDuration(state.etaSeconds)} left
        </Text>
      )}
      {state.currentPath && (
        <Text size="xs" c="dimmed" truncate="start">
          <span dir="ltr">{state.currentPath}</span>
        </Text>
      )}
    </Stack>
  );
}

/** Files imported with a remark (a PNG named .jpg, Latin-1 text), right after the import. */
function ImportNotes({ report }: { report: ImportReport }) {
  if (report.notes.length === 0 && !report.alreadyImported) return null;
  return (
    <Stack gap={4} data-testid="import-notes">
      {report.alreadyImported && (
        <Text size="sm" data-testid="import-already">
          This folder was imported before, unchanged: showing that dataset; nothing was added.
        </Text>
      )}
      {report.notes.length > 0 && (
        <Text size="sm" fw={500}>
          Imported with a note ({report.notes.length}):
        </Text>
      )}
      {report.notes.slice(0, 50).map((note, i) => (
        <Text key={`${note.sourcePath}-${i}`} size="xs" data-testid="import-note">
          <span dir="ltr" style={{ fontFamily: 'monospace' }}>
            {note.sourcePath}
          </span>
          : {note.reason}
        </Text>
      ))}
    </Stack>
  );
}

export function ImportArea({ controls }: { controls: ImportControls }) {
  const { busy, state, importDrop, importPicked, dismiss, settings, setSettings } = controls;
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);

  const onDragOver = (e: DragEvent) => {
    e.preventDefault();
    e.dataTransfer.dropEffect = busy ? 'none' : 'copy';
    if (!over) setOver(true);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    importDrop(e.dataTransfer);
  };

  return (
    <Paper
      data-testid="import-dropzone"
      data-busy={busy || undefined}
      withBorder
      p="lg"
      onDragOver={onDragOver}
      onDragEnter={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      style={{
        borderStyle: 'dashed',
        borderWidth: 2,
        borderColor: over ? 'var(--mantine-color-indigo-5)' : undefined,
        background: over ? 'var(--mantine-color-indigo-0)' : 'var(--mantine-color-white)',
        transition: 'background 120ms, border-color 120ms',
      }}
    >
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <div>
            <Text fw={600}>Import a folder of images or text</Text>
            <Text size="sm" c="dimmed">
              Drop a folder here. Sub-folders become class labels (e.g. <code>cats/</code>,{' '}
              <code>dogs/</code>); files that cannot be used are listed as skipped.
            </Text>
          </div>
          <Button component="label" variant="light" disabled={busy} style={{ flexShrink: 0 }}>
            Choose folder…
            <input
              ref={input}
              type="file"
              data-testid="import-folder-input"
              // The non-standard attributes that make the picker choose a folder.
              webkitdirectory=""
              multiple
              hidden
              disabled={busy}
              onChange={(e) => {
                const files = e.currentTarget.files;
                if (files) importPicked(files);
                // Reset so that picking the same folder again still fires a change.
                if (input.current) input.current.value = '';
              }}
            />
          </Button>
        </Group>
        <ImportOptions settings={settings} onChange={setSettings} disabled={busy} />
        {busy && <ImportProgressView controls={controls} />}
        {state.phase === 'done' && state.report && <ImportNotes report={state.report} />}
        <ErrorAlert error={state.error} title="Import failed" onClose={dismiss} />
      </Stack>
    </Paper>
  );
}
