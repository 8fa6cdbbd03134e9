import path from 'node:path';
import sharp from 'sharp';

/**
 * Lays sample PNGs out in one grid image (rows of `columns`), scaled up with nearest-neighbour so
 * 28-pixel samples stay legible. Returns the written file.
 */
export async function writeSampleGrid(
  files: readonly string[],
  target: string,
  options: { columns?: number; cell?: number; gap?: number } = {},
): Promise<string> {
  if (files.length === 0) throw new Error('No samples to put in a grid.');
  const columns = Math.min(options.columns ?? 4, files.length);
  const cell = options.cell ?? 112;
  const gap = options.gap ?? 4;
  const rows = Math.ceil(files.length / columns);
  const tiles = await Promise.all(
    files.map((file) => sharp(file).resize(cell, cell, { kernel: 'nearest' }).png().toBuffer()),
  );
  await sharp({
    create: {
      width: columns * cell + (columns + 1) * gap,
      height: rows * cell + (rows + 1) * gap,
      channels: 3,
      background: '#202020',
    },
  })
    .composite(
      tiles.map((input, i) => ({
        input,
        left: gap + (i % columns) * (cell + gap),
        top: gap + Math.floor(i / columns) * (cell + gap),
      })),
    )
    .png()
    .toFile(path.resolve(target));
  return path.resolve(target);
}
