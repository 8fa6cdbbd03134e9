// The sample grids of the quality benchmark, in quality_ref.py's save_grid layout (8 per row,
// 2 px grey gaps, 3× nearest upscale, 8-bit grey): the studio writes its samples this way, and
// the judge cuts both the studio's grid and the twin's back into images with the same code, so
// both sides' samples reach the judge through the same 8-bit rounding.

import sharp from 'sharp';
import type { ImageTensorData } from '../../main/ml/protocol';
import { IMAGE_SIZE } from './data';

export const GRID = { columns: 8, pad: 2, scale: 3, count: 64 } as const;

const CELL = IMAGE_SIZE + GRID.pad;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/** Top-left corner of cell `i` in the grid before upscaling. */
const corner = (i: number): { y0: number; x0: number } => ({
  y0: GRID.pad + Math.floor(i / GRID.columns) * CELL,
  x0: GRID.pad + (i % GRID.columns) * CELL,
});

/** `count` images [count, 28, 28] in [0, 1] (clamped) as a grid PNG. */
export async function writeGrid(pixels: Float32Array, count: number, file: string): Promise<void> {
  const width = GRID.columns * CELL + GRID.pad;
  const height = Math.ceil(count / GRID.columns) * CELL + GRID.pad;
  const canvas = Buffer.alloc(width * height, 128);
  for (let i = 0; i < count; i++) {
    const { y0, x0 } = corner(i);
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        const v = pixels[i * PIXELS + y * IMAGE_SIZE + x] ?? 0;
        canvas[(y0 + y) * width + x0 + x] = Math.round(Math.min(1, Math.max(0, v)) * 255);
      }
    }
  }
  await sharp(canvas, { raw: { width, height, channels: 1 } })
    .resize(width * GRID.scale, height * GRID.scale, { kernel: 'nearest' })
    .toColourspace('b-w')
    .png()
    .toFile(file);
}

/** The first `count` cells of a grid PNG, in [0, 1], row by row. */
export async function cutGrid(file: string, count: number = GRID.count): Promise<ImageTensorData> {
  const { data, info } = await sharp(file).greyscale().raw().toBuffer({ resolveWithObject: true });
  const { columns, pad, scale } = GRID;
  const rows = Math.ceil(count / columns);
  if (info.width !== (columns * CELL + pad) * scale || info.height < (rows * CELL + pad) * scale) {
    throw new Error(`${file}: ${info.width}×${info.height} is not a grid of ${count} samples`);
  }
  const pixels = new Float32Array(count * PIXELS);
  for (let i = 0; i < count; i++) {
    const { y0, x0 } = corner(i);
    for (let y = 0; y < IMAGE_SIZE; y++) {
      for (let x = 0; x < IMAGE_SIZE; x++) {
        // The middle of the scale × scale block, all of which holds the same value.
        const at = ((y0 + y) * scale + 1) * info.width + (x0 + x) * scale + 1;
        pixels[i * PIXELS + y * IMAGE_SIZE + x] = (data[at * info.channels] ?? 0) / 255;
      }
    }
  }
  return { pixels, count, height: IMAGE_SIZE, width: IMAGE_SIZE, channels: 1 };
}
