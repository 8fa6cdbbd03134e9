import type { AugmentationSettings } from '../../../preload/contract';

export interface ImageShape {
  height: number;
  width: number;
  channels: number;
}

/** The draws one augmentation made, so that previews can say what they show. */
export interface AugmentDraw {
  flipped: boolean;
  dx: number;
  dy: number;
}

export function drawAugmentation(
  settings: AugmentationSettings,
  random: () => number,
): AugmentDraw {
  const shift = (): number =>
    settings.maxShift > 0
      ? Math.floor(random() * (2 * settings.maxShift + 1)) - settings.maxShift
      : 0;
  const flipped = settings.flipHorizontal && random() < 0.5;
  return { flipped, dx: shift(), dy: shift() };
}

/**
 * One augmented copy of one image, [height, width, channels] row-major, in whatever scale the
 * values are (bytes for previews, the training range for batches): a horizontal flip and a shift,
 * with `fill` (one value per channel, the background) where the shift uncovers the edge.
 */
export function applyAugmentation(
  source: Float32Array,
  shape: ImageShape,
  draw: AugmentDraw,
  fill: readonly number[],
): Float32Array {
  const { height, width, channels } = shape;
  const out = new Float32Array(height * width * channels);
  for (let y = 0; y < height; y++) {
    const sy = y - draw.dy;
    for (let x = 0; x < width; x++) {
      const shiftedX = x - draw.dx;
      const sx = draw.flipped ? width - 1 - shiftedX : shiftedX;
      const at = (y * width + x) * channels;
      const inside = sy >= 0 && sy < height && sx >= 0 && sx < width;
      const from = (sy * width + sx) * channels;
      for (let c = 0; c < channels; c++) {
        out[at + c] = inside ? (source[from + c] as number) : (fill[c] ?? 0);
      }
    }
  }
  return out;
}

/**
 * Augments image `index` of a batch tensor in place; for the training engine, which draws with
 * its own seeded generator so that a run stays repeatable.
 */
export function augmentInPlace(
  pixels: Float32Array,
  index: number,
  shape: ImageShape,
  settings: AugmentationSettings,
  random: () => number,
  fill: readonly number[],
): void {
  if (!settings.flipHorizontal && settings.maxShift === 0) return;
  const size = shape.height * shape.width * shape.channels;
  const view = pixels.subarray(index * size, (index + 1) * size);
  view.set(applyAugmentation(view, shape, drawAugmentation(settings, random), fill));
}
