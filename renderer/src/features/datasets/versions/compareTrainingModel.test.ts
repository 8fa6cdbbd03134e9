import { describe, expect, it } from 'vitest';
import { bestSide, changeText } from './compareTrainingModel';

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

describe('changeText', () => {
  it('signs the change and adds twice its standard error where it has one', () => {
    expect(changeText({ change: -0.0221, changeError: 0.0065 })).toEqual({
      text: '−0.022 ± 0.013',
      withinNoise: false,
    });
    expect(changeText({ change: 0.4, changeError: null })).toEqual({
      text: '+0.40',
      withinNoise: false,
    });
    expect(changeText({ change: null, changeError: null }).text).toBe('—');
  });

  it('calls a change no larger than two standard errors within the noise', () => {
    expect(changeText({ change: 0.002, changeError: 0.003 }).withinNoise).toBe(true);
    expect(changeText({ change: -0.01, changeError: 0.004 }).withinNoise).toBe(false);
  });
});
