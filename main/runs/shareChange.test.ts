import { describe, expect, it } from 'vitest';
import { SAMPLE_SHARES, shareChangeError } from './shareChange';

describe('shareChangeError', () => {
  it('is the standard error of a difference of two proportions', () => {
    // 0.2 and 0.1 of 400 samples each: sqrt(0.16/400 + 0.09/400) = 0.025.
    expect(shareChangeError(0.2, 0.1, 400)).toBeCloseTo(0.025, 10);
    expect(shareChangeError(0.1, 0.2, 400)).toBeCloseTo(shareChangeError(0.2, 0.1, 400), 12);
  });

  it('shrinks with the square root of the samples drawn', () => {
    expect(shareChangeError(0.3, 0.4, 1600) * 2).toBeCloseTo(shareChangeError(0.3, 0.4, 400), 12);
  });

  it('does not call 0 against 0 certain: a share of 0 counts as half a sample', () => {
    const n = 512;
    const halfASample = ((0.5 / n) * (1 - 0.5 / n)) / n;
    expect(shareChangeError(0, 0, n)).toBeCloseTo(Math.sqrt(2 * halfASample), 12);
    expect(shareChangeError(1, 0, n)).toBeCloseTo(Math.sqrt(2 * halfASample), 12);
    // 4 of 512 against none: the change is under two standard errors.
    expect(4 / n / shareChangeError(4 / n, 0, n)).toBeLessThan(2);
  });

  it('covers the share figures of the judge and no others', () => {
    expect(SAMPLE_SHARES.has('duplicated_item_share')).toBe(true);
    expect(SAMPLE_SHARES.has('scarce_class_share')).toBe(true);
    expect(SAMPLE_SHARES.has('scarce_class_coverage')).toBe(false);
    expect(SAMPLE_SHARES.has('frechet_distance')).toBe(false);
  });
});
