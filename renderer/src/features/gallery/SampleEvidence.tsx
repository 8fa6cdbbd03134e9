import { Alert, Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import type { GallerySample, StudioError } from '../../../../preload/contract';
import { settle } from '../../api/studio';
import { useStudio } from '../../api/StudioContext';
import { ErrorAlert } from '../../common/ErrorAlert';
import { NearestItemPanel } from '../evaluation/NearestItemPanel';
import { CopiedStretch } from '../evaluation/NearestTrainingItem';

/**
 * What the run's evaluation found about the sample in the lightbox: its nearest training item
 * (images) or its longest copied stretch (texts); for a sample no evaluation judged, a way to
 * evaluate the run (`runs:evaluate`), whose judged samples then join the gallery.
 */
export function SampleEvidence({
  sample,
  onEvaluated,
}: {
  sample: GallerySample;
  onEvaluated: () => void;
}) {
  const api = useStudio();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<StudioError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const evidence = sample.evaluation;

  if (evidence?.kind === 'image')
    return <NearestItemPanel sampleId={sample.id} evidence={evidence} />;
  if (evidence?.kind === 'text' && sample.text !== null) {
    const length = evidence.copyEnd - evidence.copyStart;
    return (
      <Stack gap={4} data-testid="copied-stretch-panel">
        <Text size="sm" fw={600}>
          {length > 0
            ? `Longest stretch copied from the training text: ${length} characters (marked)`
            : 'No stretch of this text occurs in the training text.'}
        </Text>
        <CopiedStretch
          text={sample.text}
          copyStart={evidence.copyStart}
          copyEnd={evidence.copyEnd}
          size="sm"
          testId="lightbox-copied-text"
        />
        <Text size="xs" c="dimmed">
          Evaluated at step {evidence.step}.
        </Text>
      </Stack>
    );
  }

  const evaluate = async () => {
    setPending(true);
    setError(null);
    const outcome = await settle(api.runs.evaluate({ runId: sample.runId }));
    setPending(false);
    if (!outcome.ok) {
      setError(outcome.error);
      return;
    }
    const judged = outcome.value.imageSamples.length + outcome.value.textSamples.length;
    setDone(
      `Run #${sample.runId} evaluated at step ${outcome.value.step}: its ${judged} judged samples are in the gallery (filter "Evaluated").`,
    );
    onEvaluated();
  };
  const what = sample.kind === 'text' ? 'longest copied stretch' : 'nearest training item';
  return (
    <Alert variant="light" color="gray" data-testid="not-evaluated" title="Not evaluated">
      <Stack gap={6}>
        <Text size="sm">
          No evaluation judged this sample, so its {what} is not known. Evaluating a run judges
          fresh samples from its newest checkpoint
          {sample.runCheckpointStep === null ? '' : ` (step ${sample.runCheckpointStep})`} against
          the data it trained on and adds them to the gallery with their evidence.
        </Text>
        <ErrorAlert error={error} title="Could not evaluate the run" />
        {done ? (
          <Text size="sm" data-testid="evaluated-notice">
            {done}
          </Text>
        ) : (
          <Button
            size="xs"
            variant="light"
            w="fit-content"
            data-testid="gallery-evaluate-run"
            disabled={sample.runCheckpointStep === null}
            loading={pending}
            onClick={() => void evaluate()}
          >
            {sample.runCheckpointStep === null
              ? `Run #${sample.runId} has no checkpoint to evaluate`
              : `Evaluate run #${sample.runId}`}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}
