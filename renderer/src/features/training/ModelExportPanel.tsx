import { Alert, Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { ModelExportResult, RunSummary, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { ErrorAlert } from '../../common/ErrorAlert';

/**
 * Exports the run's newest checkpoint as a TensorFlow.js model folder (model.json, weights,
 * generate.mjs, a model card) and its ZIP. It works while the run trains on: the export reads
 * the checkpoint beside the training job.
 */
export function ModelExportPanel({ run }: { run: RunSummary }) {
  const api = useStudio();
  const [folder, setFolder] = useState('');
  const [pending, setPending] = useState(false);
  const [result, setResult] = useState<ModelExportResult | null>(null);
  const [error, setError] = useState<StudioError | null>(null);
  if (run.checkpointStep === null) return null;

  const exportModel = async (): Promise<void> => {
    setPending(true);
    setError(null);
    setResult(null);
    const trimmed = folder.trim();
    const outcome = await settle(
      api.runs.exportModel(trimmed ? { runId: run.id, folder: trimmed } : { runId: run.id }),
    );
    setPending(false);
    if (outcome.ok) setResult(outcome.value);
    else setError(outcome.error);
  };
  const zipUrl = result?.zipId ? api.shell.exportDownloadUrl(result.zipId) : null;

  return (
    <Stack gap="xs" data-testid="model-export">
      <Text size="sm" fw={600}>
        Model export
      </Text>
      <Group align="flex-end" wrap="nowrap">
        <TextInput
          label="Folder"
          placeholder="Empty = the studio's default export folder"
          data-testid="model-export-folder-input"
          value={folder}
          onChange={(e) => setFolder(e.currentTarget.value)}
          style={{ flex: 1 }}
        />
        <Button
          variant="light"
          data-testid="model-export-button"
          loading={pending}
          onClick={() => void exportModel()}
        >
          Export model at step {run.checkpointStep} (TensorFlow.js)
        </Button>
      </Group>
      <ErrorAlert error={error} title="Model export failed" onClose={() => setError(null)} />
      {result && (
        <Alert
          data-testid="model-export-result"
          color="teal"
          variant="light"
          title={`Exported the ${result.family} model at step ${result.step}`}
          withCloseButton
          onClose={() => setResult(null)}
        >
          <Stack gap={4}>
            <Text size="sm">
              <span data-testid="model-export-file-count">{result.files.length}</span> files
              (model.json for tf.loadGraphModel, generate.mjs, example.mjs, model-card.md) in{' '}
              <Text span ff="monospace" data-testid="model-export-folder">
                {result.folder}
              </Text>
            </Text>
            <Text size="sm">
              ZIP:{' '}
              <Text span ff="monospace" data-testid="model-export-zip-path">
                {result.zipPath}
              </Text>
            </Text>
            {zipUrl && (
              <Anchor href={zipUrl} download data-testid="model-export-zip-link" size="sm" fw={600}>
                Download the ZIP
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}
    </Stack>
  );
}
