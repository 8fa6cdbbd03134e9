// Random flips and shifts of training images, tfjs-free: the Prepare preview and the ML worker's
// training batches both draw them here, so what a person previews is what training does.

import type { AugmentationSettings } from '../../preload/contract';

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
 * The one augmentation draw, for the preview and for training alike: `count` images laid out one
 * after another ([count, height, width, channels]), each flipped and shifted by its own draw from
 * `random`, in order. The preview of an item with a seed therefore shows exactly the batch that
 * training draws with that seed. Returns new pixels; `pixels` is left alone.
 */
export function augmentImages(
  pixels: Float32Array,
  count: number,
  shape: ImageShape,
  settings: AugmentationSettings,
  fill: readonly number[],
  random: () => number,
): Float32Array {
  const size = shape.height * shape.width * shape.channels;
  const out = new Float32Array(count * size);
  for (let n = 0; n < count; n++) {
    const image = pixels.subarray(n * size, (n + 1) * size);
    out.set(applyAugmentation(image, shape, drawAugmentation(settings, random), fill), n * size);
  }
  return out;
}
