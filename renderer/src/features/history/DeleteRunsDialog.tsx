import { Button, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { RunDeletion } from '../../../../preload/contract';
import { formatBytes } from '../../common/format';
import type { useRunHistoryActions } from './useRunHistory';

/** Says what a delete removes (samples, checkpoints, bytes on disk) before doing it. */
export function DeleteRunsDialog({
  runIds,
  actions,
  onClose,
}: {
  runIds: number[] | null;
  actions: ReturnType<typeof useRunHistoryActions>;
  onClose: () => void;
}) {
  // The preview answers one selection; another selection waits for its own.
  const [answer, setAnswer] = useState<{ key: string; preview: RunDeletion | null } | null>(null);
  const key = runIds?.join(',') ?? '';
  const preview = answer?.key === key ? answer.preview : null;
  const { previewDelete } = actions;
  useEffect(() => {
    if (!key) return;
    let live = true;
    void previewDelete(key.split(',').map(Number)).then((p) => {
      if (live) setAnswer({ key, preview: p });
    });
    return () => {
      live = false;
    };
  }, [key, previewDelete]);

  const count = runIds?.length ?? 0;
  return (
    <Modal
      opened={runIds !== null}
      onClose={onClose}
      title={`Delete ${count === 1 ? `run #${runIds?.[0]}` : `${count} runs`}?`}
    >
      <Stack gap="sm" data-testid="delete-dialog">
        {!preview ? (
          <Loader size="sm" />
        ) : (
          <Text size="sm" data-testid="delete-preview" data-bytes={preview.bytes}>
            This removes {preview.sampleCount} samples, {preview.checkpointCount} checkpoint
            {preview.checkpointCount === 1 ? '' : 's'} and their metrics: {preview.fileCount} files,{' '}
            <b>{formatBytes(preview.bytes)}</b> on disk. It cannot be undone; archive instead to
            only hide {count === 1 ? 'it' : 'them'}.
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Keep
          </Button>
          <Button
            color="red"
            data-testid="delete-confirm"
            disabled={!preview}
            loading={actions.pending}
            onClick={() => {
              if (!runIds) return;
              void actions.remove(runIds).then((done) => done && onClose());
            }}
          >
            Delete
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
