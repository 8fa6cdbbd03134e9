import { memo, useState } from 'react';
import type { GallerySample } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { CopiedStretch } from '../evaluation/NearestTrainingItem';
import { looksLike } from '../evaluation/predictedClass';
import { provenanceSummary } from './provenanceLines';
import './SampleTile.css';

export const TILE_WIDTH = 132;
export const TILE_HEIGHT = 172;

/** The image's box: the tile less its padding, caption and footer. */
const IMAGE_HEIGHT = TILE_WIDTH - 12;

/**
 * One sample: the image or text, its run and step, its mark, and a box to choose it. Memoised:
 * the grid renders its rows again when a page arrives or the focus moves, and only the tiles
 * whose sample, focus or choice changed need to. Plain elements styled by SampleTile.css, not
 * Mantine components: a wheel flick mounts thousands of tiles, and React's rendering of them was
 * the largest share of the long frames' main-thread time (bench-gallery --trace).
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
  deferImage,
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
  /** Mounted while the grid glides past: no image request until it settles (then it stays). */
  deferImage: boolean;
}) {
  const { shell } = useStudio();
  // Once asked for, the image stays: a tile on screen when a glide starts keeps its picture.
  const [imageWanted, setImageWanted] = useState(!deferImage);
  if (!deferImage && !imageWanted) setImageWanted(true);
  const evidence = sample.evaluation?.kind === 'image' ? sample.evaluation : null;
  const copied = sample.evaluation?.kind === 'text' ? sample.evaluation : null;
  const nearestShown = showNearest && evidence?.nearestBlobSha ? evidence : null;
  return (
    <div
      className="sample-tile"
      data-testid="sample-card"
      data-sample-id={sample.id}
      data-index={index}
      data-rating={sample.rating ?? ''}
      data-focused={focused ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      data-evaluated={sample.evaluation ? 'true' : undefined}
      data-near-copy={evidence ? String(evidence.nearCopy) : undefined}
      title={provenanceSummary(sample)}
      onClick={() => onFocus(index)}
      onDoubleClick={() => onOpen(index)}
      style={{ height: TILE_HEIGHT }}
    >
      <p className="sample-tile-caption">
        #{sample.runId} · step {sample.step}
      </p>
      {sample.kind === 'text' && copied && sample.text !== null ? (
        <CopiedStretch
          text={sample.text}
          copyStart={copied.copyStart}
          copyEnd={copied.copyEnd}
          testId="sample-text"
          style={{ flex: 1, overflow: 'hidden' }}
        />
      ) : sample.kind === 'text' ? (
        <p className="sample-tile-text" data-testid="sample-text">
          {sample.text}
        </p>
      ) : !imageWanted ? (
        // The image's empty box, not an <img> without a source (that would show its alt text).
        <div className="sample-tile-image" style={{ height: IMAGE_HEIGHT }} />
      ) : nearestShown?.nearestBlobSha ? (
        <img
          className="sample-tile-image"
          data-pixelated
          data-nearest={nearestShown.nearCopy ? 'copy' : 'near'}
          data-testid="tile-nearest-item"
          src={shell.mediaUrl('thumb', nearestShown.nearestBlobSha)}
          alt={`Nearest training item ${nearestShown.nearestItemId ?? ''} of sample ${sample.id}`}
          title={`Nearest training item #${nearestShown.nearestItemId ?? '?'}${
            nearestShown.distanceRatio === null
              ? ''
              : ` at ×${nearestShown.distanceRatio.toFixed(2)} the usual distance`
          }`}
          style={{ height: IMAGE_HEIGHT }}
        />
      ) : (
        <img
          className="sample-tile-image"
          data-pixelated={sample.width <= 64 ? '' : undefined}
          src={shell.mediaUrl('sample', sample.id)}
          alt={`Run ${sample.runId}, step ${sample.step}, sample ${sample.index}`}
          style={{ height: IMAGE_HEIGHT }}
        />
      )}
      <div className="sample-tile-footer">
        {!nearestShown && sample.provenance.classLabel === null && evidence?.predictedClass ? (
          <p
            className="sample-tile-caption"
            data-testid="tile-looks-like"
            title={`The version's feature classifier: ${looksLike(evidence.predictedClass)}`}
          >
            {looksLike(evidence.predictedClass)}
          </p>
        ) : (
          <p className="sample-tile-caption">
            {nearestShown
              ? 'nearest item'
              : `${sample.provenance.classLabel ?? `#${sample.index}`}${
                  sample.provenance.seed !== null ? ` · seed ${sample.provenance.seed}` : ''
                }`}
          </p>
        )}
        {evidence?.nearestBlobSha && (
          <button
            type="button"
            className="sample-tile-nearest-toggle"
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
            <span
              className="sample-tile-badge"
              data-color={evidence.nearCopy ? 'red' : 'teal'}
              data-filled={showNearest ? '' : undefined}
            >
              <span className="sample-tile-badge-label">{evidence.nearCopy ? '≈ copy' : '≈'}</span>
            </span>
          </button>
        )}
        {sample.rating && (
          <span
            className="sample-tile-badge"
            data-color={sample.rating === 'starred' ? 'yellow' : 'red'}
          >
            <span className="sample-tile-badge-label">
              {sample.rating === 'starred' ? '★' : '✕'}
            </span>
          </span>
        )}
        <input
          type="checkbox"
          className="sample-tile-check"
          data-testid="sample-select"
          aria-label={`Select sample ${sample.id}`}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={() => onToggle(sample.id)}
        />
      </div>
    </div>
  );
});
