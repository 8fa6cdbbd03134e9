import { describe, expect, it } from 'vitest';
import { classDistribution, conditionalAccuracy } from './classDistribution';

describe('classDistribution', () => {
  it('is 0 apart and misses nothing when the samples are spread like the data', () => {
    const data = Int32Array.from({ length: 100 }, (_, i) => i % 4);
    const result = classDistribution(
      Int32Array.from({ length: 40 }, (_, i) => i % 4),
      data,
      4,
    );
    expect(result.totalVariation).toBeCloseTo(0, 12);
    expect(result.missingClasses).toEqual([]);
    expect(result.dataShares).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('shows the classes a sample set without half of them lacks', () => {
    const data = Int32Array.from({ length: 100 }, (_, i) => i % 10);
    const samples = Int32Array.from({ length: 100 }, (_, i) => i % 5);
    const result = classDistribution(samples, data, 10);
    expect(result.missingClasses).toEqual([5, 6, 7, 8, 9]);
    expect(result.totalVariation).toBeCloseTo(0.5, 12);
  });

  it('counts a class with a trace of samples as missing, not a class the data lacks too', () => {
    // Class 1: 50% of the data, 1% of the samples; class 3 is in neither.
    const data = Int32Array.of(0, 1, 2, 1);
    const samples = Int32Array.from({ length: 100 }, (_, i) => (i === 0 ? 1 : i % 2 === 0 ? 0 : 2));
    expect(classDistribution(samples, data, 4).missingClasses).toEqual([1]);
  });

  it('refuses a class outside the range', () => {
    expect(() => classDistribution(Int32Array.of(3), Int32Array.of(0), 3)).toThrow(RangeError);
  });
});

describe('conditionalAccuracy', () => {
  it('scores what was asked for, per class', () => {
    const result = conditionalAccuracy(
      Int32Array.of(0, 0, 1, 1, 1, 2),
      Int32Array.of(0, 1, 1, 1, 0, 2),
      4,
    );
    expect(result.overall).toBeCloseTo(4 / 6, 12);
    expect(result.perClass).toEqual([0.5, 2 / 3, 1, null]);
  });
});
