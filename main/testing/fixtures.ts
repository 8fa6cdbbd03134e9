import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'studio-test-'): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.rm(dir, { recursive: true, force: true }) };
}

/** A small grayscale PNG whose pixels depend on `seed`, so different seeds give different files. */
export async function pngBytes(seed: number, size = 8, channels: 1 | 3 | 4 = 1): Promise<Buffer> {
  const pixels = Buffer.alloc(size * size * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 37 + seed * 101) % 256;
  return sharp(pixels, { raw: { width: size, height: size, channels } })
    .png()
    .toBuffer();
}

export async function writeFile(
  root: string,
  relativePath: string,
  bytes: Uint8Array | string,
): Promise<string> {
  const file = path.join(root, relativePath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
  return file;
}
