// Tiny deterministic image sets for the ML tests: shapes a VAE can learn in a few dozen steps.

import type { ImageTensorData } from '../../protocol';

/**
 * `count` images of size×size×channels in [0, 1]: each a bright horizontal or vertical bar on a
 * dark ground, at a position that depends on its index — structured enough that the loss falls fast.
 */
export function barImages(count: number, size: number, channels = 1): ImageTensorData {
  const pixels = new Float32Array(count * size * size * channels);
  for (let n = 0; n < count; n++) {
    const vertical = n % 2 === 0;
    const at = Math.floor(n / 2) % size;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const on = vertical ? x === at || x === (at + 1) % size : y === at || y === (at + 1) % size;
        for (let c = 0; c < channels; c++) {
          pixels[((n * size + y) * size + x) * channels + c] = on ? 0.95 : 0.05;
        }
      }
    }
  }
  return { pixels, count, height: size, width: size, channels };
}
