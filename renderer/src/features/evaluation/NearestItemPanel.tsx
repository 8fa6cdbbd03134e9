import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { SampleEvaluation } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { classifierRecord, looksLike } from './predictedClass';

export type ImageEvidence = Extract<SampleEvaluation, { kind: 'image' }>;

const SIZE = 160;
const pixelated = {
  imageRendering: 'pixelated' as const,
  borderRadius: 4,
  background: 'var(--mantine-color-gray-2)',
  objectFit: 'contain' as const,
};

/** The figures of a sample's nearest training item, in words a person can check. */
export function nearestFigures(evidence: ImageEvidence): string {
  const parts = [
    evidence.featureDistance === null
      ? null
      : `feature distance ${evidence.featureDistance.toFixed(3)}`,
    evidence.distanceRatio === null
      ? null
      : `×${evidence.distanceRatio.toFixed(2)} the usual distance of new data`,
    evidence.pixelRms === null ? null : `pixel RMS difference ${evidence.pixelRms.toFixed(3)}`,
  ];
  return parts.filter((p) => p !== null).join(' · ');
}

function TrainingItem({
  blobSha,
  itemId,
  caption,
  testId,
}: {
  blobSha: string | null;
  itemId: number | null;
  caption: string;
  testId: string;
}) {
  const { shell } = useStudio();
  return (
    <Stack gap={2} align="center">
      {blobSha ? (
        <Anchor
          href={shell.mediaUrl('blob', blobSha)}
          target="_blank"
          rel="noreferrer"
          data-testid={testId}
          title={`Training item #${itemId ?? '?'}: open it full size`}
        >
          <img
            src={shell.mediaUrl('thumb', blobSha)}
            alt={`${caption} (item ${itemId ?? '?'})`}
            width={SIZE}
            height={SIZE}
            style={pixelated}
          />
        </Anchor>
      ) : (
        <Text size="xs" c="dimmed" w={SIZE}>
          The item is no longer in the dataset.
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {caption}
        {itemId !== null ? ` · item #${itemId}` : ''}
      </Text>
    </Stack>
  );
}

/**
 * A judged sample beside its nearest training item in the feature network's space and, when it
 * is another item, its nearest in pixels: the evidence behind "near copy" one look away.
 */
export function NearestItemPanel({
  sampleId,
  evidence,
}: {
  sampleId: number;
  evidence: ImageEvidence;
}) {
  const { shell } = useStudio();
  const pixelDiffers =
    evidence.pixelBlobSha !== null && evidence.pixelItemId !== evidence.nearestItemId;
  return (
    <Stack gap={6} data-testid="nearest-panel" data-near-copy={evidence.nearCopy}>
      <Group gap="xs">
        <Text size="sm" fw={600}>
          Nearest training item (evaluated at step {evidence.step})
        </Text>
        {evidence.nearCopy ? (
          <Badge color="red" variant="light" data-testid="near-copy-badge">
            near copy
          </Badge>
        ) : (
          <Badge color="green" variant="light">
            not a copy
          </Badge>
        )}
      </Group>
      <Group gap="md" align="flex-start">
        <Stack gap={2} align="center">
          <img
            src={shell.mediaUrl('sample', sampleId)}
            alt={`Sample ${sampleId}`}
            width={SIZE}
            height={SIZE}
            style={pixelated}
          />
          <Text size="xs" c="dimmed">
            this sample
          </Text>
        </Stack>
        <TrainingItem
          blobSha={evidence.nearestBlobSha}
          itemId={evidence.nearestItemId}
          caption="nearest in features"
          testId="nearest-training-item"
        />
        {pixelDiffers && (
          <TrainingItem
            blobSha={evidence.pixelBlobSha}
            itemId={evidence.pixelItemId}
            caption="nearest in pixels"
            testId="nearest-pixel-item"
          />
        )}
      </Group>
      <Text size="xs" c="dimmed" data-testid="nearest-figures">
        {nearestFigures(evidence)}
        {pixelDiffers ? '' : ' · the same item is nearest in pixels'}. Below ×0.5 is unusually
        close; a near copy is as close as the closest 1% of held-out items come.
      </Text>
      {evidence.predictedClass && (
        <Text size="xs" data-testid="lightbox-looks-like">
          <b>{looksLike(evidence.predictedClass)}</b> — {classifierRecord(evidence.predictedClass)}.
        </Text>
      )}
    </Stack>
  );
}
