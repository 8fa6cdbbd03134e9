// Tiny deterministic image sets for the ML tests: shapes a VAE can learn in a few dozen steps.

import { seededRandom } from '../../../common/random';
import type { ImageJobData, ImageJobPart, ImageTensorData } from '../../protocol';

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

export interface LabeledImages {
  images: ImageTensorData;
  labels: Int32Array;
}

/**
 * `count` labeled size×size greyscale images, classes in turn: class c is a bright square blob at
 * the c-th cell of a 3×3 grid (so up to 9 classes), moved by up to ±2 pixels and under pixel
 * noise, all drawn from `seed` — a stand-in for a small labeled image set such as digits.
 */
export function classBlobImages(
  count: number,
  size: number,
  classCount: number,
  seed: number,
): LabeledImages {
  if (classCount < 1 || classCount > 9) throw new RangeError('1 to 9 blob classes');
  const random = seededRandom(seed);
  const pixels = new Float32Array(count * size * size);
  const labels = new Int32Array(count);
  const cell = size / 3;
  const half = Math.max(1, Math.round(size / 10));
  for (let n = 0; n < count; n++) {
    const c = n % classCount;
    labels[n] = c;
    const cx = Math.round((c % 3) * cell + cell / 2 + (random() * 4 - 2));
    const cy = Math.round(Math.floor(c / 3) * cell + cell / 2 + (random() * 4 - 2));
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const on = Math.abs(x - cx) <= half && Math.abs(y - cy) <= half;
        const value = (on ? 0.85 : 0.1) + (random() - 0.5) * 0.2;
        pixels[(n * size + y) * size + x] = Math.min(1, Math.max(0, value));
      }
    }
  }
  return { images: { pixels, count, height: size, width: size, channels: 1 }, labels };
}

/** `count` images of uniform pixel noise, from `seed`. */
export function noiseImages(
  count: number,
  size: number,
  seed: number,
  channels = 1,
): ImageTensorData {
  const random = seededRandom(seed);
  const pixels = Float32Array.from({ length: count * size * size * channels }, () => random());
  return { pixels, count, height: size, width: size, channels };
}

/**
 * A job's images from one set, split as a dataset version would hand them over: the last
 * `validationCount` images are the validation part; `labels` (one per image) are split alike.
 */
export function imageParts(
  images: ImageTensorData,
  validationCount = 0,
  labels?: Int32Array,
): Pick<ImageJobData, 'train' | 'validation'> {
  const { count, height, width, channels, pixels } = images;
  const size = height * width * channels;
  const cut = count - validationCount;
  const part = (from: number, to: number): ImageJobPart => ({
    pixels: pixels.slice(from * size, to * size),
    count: to - from,
    height,
    width,
    channels,
    ...(labels === undefined ? {} : { labels: labels.slice(from, to) }),
  });
  return { train: part(0, cut), validation: part(cut, count) };
}
