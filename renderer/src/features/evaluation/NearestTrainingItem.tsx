import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import type { CSSProperties } from 'react';
import type { EvaluatedImageSample, EvaluatedTextSample } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';

const SIZE = 56;
const pixelated = { imageRendering: 'pixelated' as const, borderRadius: 4, background: '#eee' };

/** An evaluated sample above its nearest training item; the item opens full size in one click. */
export function NearestTrainingItem({ sample }: { sample: EvaluatedImageSample }) {
  const { shell } = useStudio();
  return (
    <Stack gap={2} align="center" data-testid="evaluated-sample" data-near-copy={sample.nearCopy}>
      <img
        src={shell.mediaUrl('sample', sample.sampleId)}
        alt={`Evaluated sample ${sample.sampleId}`}
        width={SIZE}
        height={SIZE}
        style={pixelated}
      />
      {sample.nearestBlobSha ? (
        <Anchor
          href={shell.mediaUrl('blob', sample.nearestBlobSha)}
          target="_blank"
          rel="noreferrer"
          data-testid="nearest-training-item"
          title={`Nearest training item #${sample.nearestItemId}: open it`}
        >
          <img
            src={shell.mediaUrl('thumb', sample.nearestBlobSha)}
            alt={`Nearest training item ${sample.nearestItemId}`}
            width={SIZE}
            height={SIZE}
            style={pixelated}
          />
        </Anchor>
      ) : (
        <Text size="xs" c="dimmed">
          no item
        </Text>
      )}
      <Group gap={2}>
        <Text
          size="xs"
          c="dimmed"
          title="distance to the nearest training item ÷ the usual distance of new data"
        >
          ×{Number.isFinite(sample.distanceRatio) ? sample.distanceRatio.toFixed(2) : '—'}
        </Text>
        {sample.nearCopy && (
          <Badge size="xs" color="red" variant="light">
            copy
          </Badge>
        )}
      </Group>
    </Stack>
  );
}

/**
 * A text sample with its longest stretch copied verbatim from the training text highlighted (the
 * report card's samples, the gallery's tiles and lightbox).
 */
export function CopiedStretch({
  text,
  copyStart,
  copyEnd,
  size = 'xs',
  testId = 'evaluated-text',
  style,
}: Pick<EvaluatedTextSample, 'text' | 'copyStart' | 'copyEnd'> & {
  size?: string;
  testId?: string;
  style?: CSSProperties;
}) {
  return (
    <Text
      size={size}
      ff="monospace"
      style={{ whiteSpace: 'pre-wrap', ...style }}
      data-testid={testId}
      data-copy-length={copyEnd - copyStart}
    >
      {text.slice(0, copyStart)}
      <mark title={`${copyEnd - copyStart} characters found verbatim in the training text`}>
        {text.slice(copyStart, copyEnd)}
      </mark>
      {text.slice(copyEnd)}
    </Text>
  );
}
