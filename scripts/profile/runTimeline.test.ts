import { describe, expect, it } from 'vitest';
import { attributeRun } from './runTimeline';

describe('attributeRun', () => {
  it('puts the excess of an interval holding a sample grid on the samples, the rest on steps', () => {
    // Steps of 10 ms; the grid rendered after step 2's progress event takes 50 ms more.
    const progress = [
      { at: 100, step: 1 },
      { at: 110, step: 2 },
      { at: 170, step: 3 },
      { at: 180, step: 4 },
    ];
    const a = attributeRun({
      startedAt: 0,
      endedAt: 200,
      totalSteps: 4,
      progress,
      samples: [{ at: 165, step: 2 }],
      validationSteps: [],
      checkpointEvery: 0,
    });
    expect(a.wallMs).toBe(200);
    expect(a.steadyStepMs).toBe(10);
    expect(a.parts).toEqual({ setup: 100, steps: 30, samples: 50, tail: 20 });
    expect(a.extrasCount).toEqual({ samples: 1 });
  });

  it('labels an interval by everything its steps did', () => {
    const a = attributeRun({
      startedAt: 0,
      endedAt: 50,
      totalSteps: 3,
      progress: [
        { at: 0, step: 1 },
        { at: 10, step: 2 },
        { at: 40, step: 3 },
      ],
      samples: [{ at: 35, step: 2 }],
      validationSteps: [2],
      checkpointEvery: 2,
    });
    expect(a.parts['validation+samples+checkpoint']).toBe(20);
  });
});
