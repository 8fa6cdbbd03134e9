// The one place that decides which pixel range each image family trains on. A version's tensors
// (and everything on the wire) are in [0, 1]; the batch source maps each batch to its family's
// range, and no model, version setting or runs-service step rescales pixels again.

import type { ModelFamily } from '../../../preload/contract';

export type PixelRange = 'zero-one' | 'minus-one-one';

export type ImageFamily = Extract<ModelFamily, 'dense-vae' | 'conv-vae' | 'dcgan'>;

/**
 * The VAEs model each pixel as a Bernoulli probability (their loss is a binary cross-entropy), which
 * needs [0, 1]; DCGAN's generator ends in tanh, so its discriminator must see real images in [−1, 1].
 */
export const TRAINING_PIXEL_RANGE: Readonly<Record<ImageFamily, PixelRange>> = {
  'dense-vae': 'zero-one',
  'conv-vae': 'zero-one',
  dcgan: 'minus-one-one',
};

/** A [0, 1] value in `range` (the batch source does the same on tensors). */
export function toPixelRange(value: number, range: PixelRange): number {
  return range === 'zero-one' ? value : value * 2 - 1;
}
