import { describe, expect, it } from 'vitest';
import { bestSide } from './compareTrainingModel';

describe('bestSide', () => {
  it('marks the lower value where lower is better, the higher where higher is', () => {
    expect(bestSide({ a: 0.2, b: 0.1, better: 'lower' })).toBe('b');
    expect(bestSide({ a: 0.2, b: 0.1, better: 'higher' })).toBe('a');
  });

  it('marks nothing on a tie or where a version lacks the figure', () => {
    expect(bestSide({ a: 0, b: 0, better: 'lower' })).toBeNull();
    expect(bestSide({ a: null, b: 3, better: 'higher' })).toBeNull();
  });
});
