import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus, validationWindows, VOCAB } from './data';

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
