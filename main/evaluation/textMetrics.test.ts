import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { SuffixAutomaton } from './suffixAutomaton';
import {
  bitsPerCharacter,
  distinctNgrams,
  longestCopiedStretch,
  textSampleMetrics,
  TrainingTextIndex,
} from './textMetrics';

function randomText(length: number, alphabet: string, seed: number): string {
  const random = seededRandom(seed);
  let text = '';
  for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
  return text;
}

/** The longest suffix of sample[0…i] that occurs in text, by searching (quadratic, for checking). */
function bruteMatchLengths(text: string, sample: string): number[] {
  return Array.from(sample, (_, i) => {
    let best = 0;
    for (let start = i; start >= 0; start--) {
      if (!text.includes(sample.slice(start, i + 1))) break;
      best = i + 1 - start;
    }
    return best;
  });
}

const training = ['the cat sat on the mat', 'a dog ran in the park', 'the bird sang at dawn'].join(
  '\n',
);

describe('SuffixAutomaton', () => {
  it('agrees with a brute-force search on random texts', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const text = randomText(300, 'abc', seed);
      const sample = randomText(80, 'abcd', seed + 100);
      const automaton = new SuffixAutomaton(text);
      expect(Array.from(automaton.matchLengths(sample))).toEqual(bruteMatchLengths(text, sample));
    }
  });

  it('matches nothing against an empty text', () => {
    expect(Array.from(new SuffixAutomaton('').matchLengths('ab'))).toEqual([0, 0]);
  });
});

describe('textSampleMetrics', () => {
  const index = new TrainingTextIndex(training);

  it('finds the longest copied stretch and where it is in the sample', () => {
    const sample = 'xx the cat sat on a log';
    const stretch = longestCopiedStretch(sample, index);
    // The text starts with "the cat", so the space before it in the sample is not part of the copy.
    expect(sample.slice(stretch.start, stretch.end)).toBe('the cat sat on ');
    expect(stretch.start).toBe(3);
  });

  it('sees a verbatim copy of the training text as fully copied', () => {
    const result = textSampleMetrics([training], index);
    expect(result.charNgramOverlap).toBe(1);
    expect(result.wordTrigramOverlap).toBe(1);
    expect(result.exactLineCopyShare).toBe(1);
    expect(result.longestCopyLength).toBe(training.length);
  });

  it('sees fresh text as not copied', () => {
    const result = textSampleMetrics(
      ['zebras quietly jump over fences', 'purple monkeys dance'],
      index,
    );
    expect(result.charNgramOverlap).toBe(0);
    expect(result.wordTrigramOverlap).toBe(0);
    expect(result.exactLineCopyShare).toBe(0);
    expect(result.longestCopyLength).toBeLessThan(5);
  });

  it('counts copied lines and n-grams of a mixed sample', () => {
    const sample = 'a dog ran in the park\nthe cat ran at dawn';
    const result = textSampleMetrics([sample], index);
    expect(result.exactLineCopyShare).toBe(0.5);
    // Word trigrams: 4 of the first line's are in the text, then "park the cat" (across the line
    // break, as in the text), "the cat ran", "cat ran at", "ran at dawn": 5 of 9 occur.
    expect(result.wordTrigramOverlap).toBeCloseTo(5 / 9, 12);
    expect(result.charNgramOverlap).toBeGreaterThan(0.5);
    expect(result.charNgramOverlap).toBeLessThan(1);
  });
});

describe('distinctNgrams', () => {
  it('is 1 for samples that never repeat and falls with repetition', () => {
    expect(distinctNgrams(['one two three', 'four five six']).words[0]).toBe(1);
    const repeated = distinctNgrams(['la la la la', 'la la la la']);
    expect(repeated.words).toEqual([1 / 8, 1 / 6, 1 / 4, 1 / 2]);
    expect(repeated.chars[0]).toBeCloseTo(3 / 22, 12);
  });
});

describe('bitsPerCharacter', () => {
  it('turns nats into bits', () => {
    expect(bitsPerCharacter(Math.LN2)).toBeCloseTo(1, 12);
    expect(bitsPerCharacter(Math.log(65))).toBeCloseTo(Math.log2(65), 12);
  });
});
