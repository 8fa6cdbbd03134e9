import { memo } from 'react';
import { Badge, Checkbox, Group, Text, UnstyledButton } from '@mantine/core';
import type { GallerySample } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { CopiedStretch } from '../evaluation/NearestTrainingItem';
import { looksLike } from '../evaluation/predictedClass';
import { provenanceSummary } from './provenanceLines';

export const TILE_WIDTH = 132;
export const TILE_HEIGHT = 172;

const RATING_COLOR = {
  starred: 'var(--mantine-color-yellow-5)',
  rejected: 'var(--mantine-color-red-6)',
};

/**
 * One sample: the image or text, its run and step, its mark, and a box to choose it. Memoised:
 * the grid renders its rows again when a page arrives or the focus moves, and only the tiles
 * whose sample, focus or choice changed need to.
 */
export const SampleTile = memo(function SampleTile({
  sample,
  index,
  focused,
  selected,
  onFocus,
  onOpen,
  onToggle,
  showNearest,
  onToggleNearest,
}: {
  sample: GallerySample;
  index: number;
  focused: boolean;
  selected: boolean;
  onFocus: (index: number) => void;
  onOpen: (index: number) => void;
  onToggle: (id: number) => void;
  /** The tile shows its nearest training item instead of the sample (≈ on the tile, or n). */
  showNearest: boolean;
  onToggleNearest: (id: number) => void;
}) {
  const { shell } = useStudio();
  const evidence = sample.evaluation?.kind === 'image' ? sample.evaluation : null;
  const copied = sample.evaluation?.kind === 'text' ? sample.evaluation : null;
  const nearestShown = showNearest && evidence?.nearestBlobSha ? evidence : null;
  const border = focused
    ? 'var(--mantine-color-indigo-6)'
    : sample.rating
      ? RATING_COLOR[sample.rating]
      : 'var(--mantine-color-gray-3)';
  return (
    <div
      data-testid="sample-card"
      data-sample-id={sample.id}
      data-index={index}
      data-rating={sample.rating ?? ''}
      data-focused={focused ? 'true' : undefined}
      data-evaluated={sample.evaluation ? 'true' : undefined}
      data-near-copy={evidence ? String(evidence.nearCopy) : undefined}
      title={provenanceSummary(sample)}
      onClick={() => onFocus(index)}
      onDoubleClick={() => onOpen(index)}
      style={{
        border: `2px solid ${border}`,
        borderRadius: 6,
        padding: 4,
        height: TILE_HEIGHT,
        boxSizing: 'border-box',
        cursor: 'pointer',
        opacity: sample.rating === 'rejected' ? 0.45 : 1,
        background: selected ? 'var(--mantine-color-indigo-0)' : undefined,
        display: 'flex',
        flexDirection: 'column',
      }}
    >
      <Text size="10px" c="dimmed" truncate>
        #{sample.runId} · step {sample.step}
      </Text>
      {sample.kind === 'text' && copied && sample.text !== null ? (
        <CopiedStretch
          text={sample.text}
          copyStart={copied.copyStart}
          copyEnd={copied.copyEnd}
          testId="sample-text"
          style={{ flex: 1, overflow: 'hidden' }}
        />
      ) : sample.kind === 'text' ? (
        <Text
          data-testid="sample-text"
          size="xs"
          ff="monospace"
          style={{ whiteSpace: 'pre-wrap', flex: 1, overflow: 'hidden' }}
        >
          {sample.text}
        </Text>
      ) : nearestShown?.nearestBlobSha ? (
        <img
          data-testid="tile-nearest-item"
          src={shell.mediaUrl('thumb', nearestShown.nearestBlobSha)}
          alt={`Nearest training item ${nearestShown.nearestItemId ?? ''} of sample ${sample.id}`}
          title={`Nearest training item #${nearestShown.nearestItemId ?? '?'}${
            nearestShown.distanceRatio === null
              ? ''
              : ` at ×${nearestShown.distanceRatio.toFixed(2)} the usual distance`
          }`}
          style={{
            width: '100%',
            height: TILE_WIDTH - 12,
            objectFit: 'contain',
            imageRendering: 'pixelated',
            borderRadius: 4,
            outline: `2px dashed var(--mantine-color-${nearestShown.nearCopy ? 'red' : 'teal'}-6)`,
            outlineOffset: -2,
            background: 'var(--mantine-color-gray-2)',
            display: 'block',
          }}
        />
      ) : (
        <img
          src={shell.mediaUrl('sample', sample.id)}
          alt={`Run ${sample.runId}, step ${sample.step}, sample ${sample.index}`}
          style={{
            width: '100%',
            height: TILE_WIDTH - 12,
            objectFit: 'contain',
            imageRendering: sample.width <= 64 ? 'pixelated' : 'auto',
            borderRadius: 4,
            background: 'var(--mantine-color-gray-2)',
            display: 'block',
          }}
        />
      )}
      <Group justify="space-between" mt={2} wrap="nowrap" gap={2}>
        {!nearestShown && sample.provenance.classLabel === null && evidence?.predictedClass ? (
          <Text
            size="10px"
            c="dimmed"
            truncate
            data-testid="tile-looks-like"
            title={`The version's feature classifier: ${looksLike(evidence.predictedClass)}`}
          >
            {looksLike(evidence.predictedClass)}
          </Text>
        ) : (
          <Text size="10px" c="dimmed" truncate>
            {nearestShown
              ? 'nearest item'
              : `${sample.provenance.classLabel ?? `#${sample.index}`}${
                  sample.provenance.seed !== null ? ` · seed ${sample.provenance.seed}` : ''
                }`}
          </Text>
        )}
        {evidence?.nearestBlobSha && (
          <UnstyledButton
            data-testid="tile-nearest-toggle"
            aria-pressed={showNearest}
            aria-label={
              showNearest
                ? 'Show the sample again'
                : `Show sample ${sample.id}'s nearest training item`
            }
            title={showNearest ? 'Back to the sample' : 'Nearest training item'}
            onClick={(e) => {
              e.stopPropagation();
              onToggleNearest(sample.id);
            }}
          >
            <Badge
              size="xs"
              variant={showNearest ? 'filled' : 'light'}
              color={evidence.nearCopy ? 'red' : 'teal'}
              style={{ cursor: 'pointer' }}
            >
              {evidence.nearCopy ? '≈ copy' : '≈'}
            </Badge>
          </UnstyledButton>
        )}
        {sample.rating && (
          <Badge size="xs" color={sample.rating === 'starred' ? 'yellow' : 'red'} variant="light">
            {sample.rating === 'starred' ? '★' : '✕'}
          </Badge>
        )}
        <Checkbox
          size="xs"
          data-testid="sample-select"
          aria-label={`Select sample ${sample.id}`}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onToggle(sample.id)}
        />
      </Group>
    </div>
  );
});
