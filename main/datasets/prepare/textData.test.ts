import { describe, expect, it } from 'vitest';
import { buildVocabulary, lengthHistogram, textStats, tokenize } from './textData';

describe('text preparation', () => {
  it('builds a code-point vocabulary and tokenizes documents end to end', () => {
    const vocabulary = buildVocabulary(['ba', 'a🙂']);
    expect(vocabulary).toEqual(['a', 'b', '🙂']);
    const { tokens, documentStarts } = tokenize(['ba', 'a🙂'], vocabulary);
    expect([...tokens]).toEqual([1, 0, 0, 2]);
    expect([...documentStarts]).toEqual([0, 2]);
  });

  it('bins lengths with round widths', () => {
    expect(lengthHistogram([0, 5, 9, 10, 39], 4)).toEqual([
      { from: 0, to: 9, count: 3 },
      { from: 10, to: 19, count: 1 },
      { from: 20, to: 29, count: 0 },
      { from: 30, to: 39, count: 1 },
    ]);
    expect(lengthHistogram([])).toEqual([]);
  });

  it('counts characters before folding and gives the folded vocabulary', () => {
    const stats = textStats(3, ['Aa', 'b\n'], true);
    expect(stats).toMatchObject({ versionId: 3, itemCount: 2, totalChars: 4 });
    expect(stats.characters).toEqual([
      { char: '\n', count: 1 },
      { char: 'a', count: 1 },
      { char: 'A', count: 1 },
      { char: 'b', count: 1 },
    ]);
    expect(stats.vocabulary).toEqual(['\n', 'a', 'b']);
    expect(textStats(3, ['Aa'], false).vocabulary).toEqual(['A', 'a']);
  });
});
