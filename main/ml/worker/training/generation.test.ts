import { describe, expect, it } from 'vitest';
import type { TextDecoder, TextModel } from '../models/model';
import { drawFrom, generateTexts, decodingDistribution } from './generation';

const logits = [2, 1, 0.5, -1]; // softmax ≈ [0.61, 0.22, 0.14, 0.03]
const softmax = (values: number[], t = 1): number[] => {
  const e = values.map((v) => Math.exp(v / t));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
};
const entropy = (p: ArrayLike<number>): number =>
  Array.from(p).reduce((h, q) => (q > 0 ? h - q * Math.log(q) : h), 0);

describe('the decoding distribution (temperature, top-k, top-p)', () => {
  it('is the softmax at temperature 1 with no filter', () => {
    const p = decodingDistribution(logits, { temperature: 1, topK: 0, topP: 1 });
    softmax(logits).forEach((q, i) => expect(p[i]).toBeCloseTo(q, 9));
  });

  it('is greedy for top-k 1 and for temperature 0: all mass on the likeliest', () => {
    expect(Array.from(decodingDistribution(logits, { temperature: 1, topK: 1, topP: 1 }))).toEqual([
      1, 0, 0, 0,
    ]);
    expect(
      Array.from(decodingDistribution([0, 3, 3, 1], { temperature: 0, topK: 0, topP: 1 })),
    ).toEqual([0, 1, 0, 0]);
  });

  it('keeps the top k, renormalised', () => {
    const p = decodingDistribution(logits, { temperature: 1, topK: 2, topP: 1 });
    const q = softmax(logits);
    const kept = (q[0] ?? 0) + (q[1] ?? 0);
    expect(p[0]).toBeCloseTo((q[0] ?? 0) / kept, 9);
    expect(p[1]).toBeCloseTo((q[1] ?? 0) / kept, 9);
    expect([p[2], p[3]]).toEqual([0, 0]);
  });

  it('keeps the smallest nucleus whose mass reaches top-p', () => {
    // 0.61 < 0.7 ≤ 0.61 + 0.22: two characters.
    const two = decodingDistribution(logits, { temperature: 1, topK: 0, topP: 0.7 });
    expect(Array.from(two).map((v) => v > 0)).toEqual([true, true, false, false]);
    const one = decodingDistribution(logits, { temperature: 1, topK: 0, topP: 0.5 });
    expect(Array.from(one)).toEqual([1, 0, 0, 0]);
    const sum = Array.from(two).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 12);
  });

  it('flattens with a higher temperature and sharpens with a lower one', () => {
    const at = (temperature: number): number =>
      entropy(decodingDistribution(logits, { temperature, topK: 0, topP: 1 }));
    expect(at(2)).toBeGreaterThan(at(1));
    expect(at(0.5)).toBeLessThan(at(1));
    softmax(logits, 2).forEach((q, i) =>
      expect(decodingDistribution(logits, { temperature: 2, topK: 0, topP: 1 })[i]).toBeCloseTo(
        q,
        9,
      ),
    );
  });

  it('draws by inverse CDF, never a filtered-out character', () => {
    const p = Float64Array.from([0, 0.25, 0, 0.75]);
    expect(drawFrom(p, () => 0)).toBe(1);
    expect(drawFrom(p, () => 0.2499)).toBe(1);
    expect(drawFrom(p, () => 0.25)).toBe(3);
    expect(drawFrom(p, () => 0.999999999)).toBe(3);
  });
});

/** A model that always predicts "the next character after the last one fed", cyclically. */
function cyclicModel(vocabSize: number): TextModel {
  const decoder = (count: number): TextDecoder => ({
    next: (tokens) => {
      const out = new Float32Array(count * vocabSize);
      tokens.forEach((token, s) => {
        out[s * vocabSize + ((token + 1) % vocabSize)] = 10;
      });
      return out;
    },
    dispose: () => undefined,
  });
  // Only what generateTexts touches is real; the rest is never called.
  return { kind: 'text', vocabSize, contextLength: 8, decoder } as unknown as TextModel;
}

describe('generateTexts', () => {
  const vocabulary = ['\n', 'a', 'b', 'c'];
  const model = cyclicModel(4);
  const greedy = { temperature: 1, topK: 1, topP: 1, count: 2 };

  it('continues the prompt up to maxLength', () => {
    expect(
      generateTexts(
        model,
        vocabulary,
        { ...greedy, prompt: 'ab', maxLength: 5, stopAtNewline: false },
        1,
      ),
    ).toEqual(['abc\nabc', 'abc\nabc']);
  });

  it('stops at a newline when asked, without it', () => {
    expect(
      generateTexts(
        model,
        vocabulary,
        { ...greedy, prompt: 'b', maxLength: 50, stopAtNewline: true },
        1,
      ),
    ).toEqual(['bc', 'bc']);
  });

  it('starts an empty prompt from a newline, which it does not return', () => {
    expect(
      generateTexts(
        model,
        vocabulary,
        { ...greedy, prompt: '', maxLength: 3, stopAtNewline: false },
        1,
      ),
    ).toEqual(['abc', 'abc']);
  });

  it('refuses options out of range and prompts with unknown characters', () => {
    const ok = { ...greedy, prompt: 'a', maxLength: 3, stopAtNewline: false };
    expect(() => generateTexts(model, vocabulary, { ...ok, prompt: 'x' }, 1)).toThrow(/never saw/);
    expect(() => generateTexts(model, vocabulary, { ...ok, topP: 0 }, 1)).toThrow(/topP/);
    expect(() => generateTexts(model, vocabulary, { ...ok, maxLength: 0 }, 1)).toThrow(/maxLength/);
    expect(() => generateTexts(model, vocabulary, { ...ok, temperature: -1 }, 1)).toThrow(
      /temperature/,
    );
  });
});
