import { describe, expect, it } from 'vitest';
import { classCoverage, lowestClassCoverage } from './classCoverage';
import type { FeatureRows } from './features';

const line = (points: number[]): FeatureRows => ({
  values: Float32Array.from(points),
  count: points.length,
  dim: 1,
});

describe('classCoverage', () => {
  it('counts, class by class, the items whose ball holds a sample of their class', () => {
    // Class 0 at 0…5, a starved class 1 of two items at 20 and 21. With k = 2 the balls of
    // class 0 have radius 1 (2 at the ends), those of class 1 reach back to 5: radius 15, 16.
    const train = line([0, 1, 2, 3, 4, 5, 20, 21]);
    const trainLabels = [0, 0, 0, 0, 0, 0, 1, 1];
    // Samples near 0 and 1 (class 0), and one at 20.5 the classifier calls class 0: it lies in
    // both class-1 balls, but a sample of another class does not cover them.
    const samples = line([0.2, 1.1, 20.5]);
    const { coverage } = classCoverage({
      train,
      trainLabels,
      samples,
      predicted: [0, 0, 0],
      classCount: 3,
      k: 2,
    });
    // Items 0, 1, 2 hold 0.2 or 1.1 within radius 1 (item 0's radius is 2): 3 of 6.
    expect(coverage).toEqual([3 / 6, 0, null]);
    const drawn = classCoverage({
      train,
      trainLabels,
      samples,
      predicted: [0, 0, 1],
      classCount: 3,
      k: 2,
    });
    expect(drawn.coverage[1]).toBe(1);
    expect(lowestClassCoverage(coverage)).toBe(0);
    expect(lowestClassCoverage([null, null])).toBeNull();
  });

  it('gives every class full coverage when the samples are the training items', () => {
    const train = line([0, 1, 3, 6, 10, 15, 21, 28, 36, 45]);
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const { coverage, softCoverage } = classCoverage({
      train,
      trainLabels: labels,
      samples: train,
      predicted: labels,
      classCount: 2,
    });
    expect(coverage).toEqual([1, 1]);
    expect(softCoverage).toEqual([null, null]);
  });

  it('gives a soft coverage from how sure the classifier is, where the count rounds to 0 or 1', () => {
    // The layout of the first test. The sample at 20.5 lies in both class-1 balls; the
    // classifier calls it class 0 but gives class 1 a probability of 0.4. The count says
    // class 1 is not covered at all; the soft coverage says it is, with 0.4 of the evidence.
    const train = line([0, 1, 2, 3, 4, 5, 20, 21]);
    const trainLabels = [0, 0, 0, 0, 0, 0, 1, 1];
    const samples = line([0.2, 1.1, 20.5]);
    const probabilities = [0.9, 0.1, 0, 0.8, 0.2, 0, 0.6, 0.4, 0];
    const { coverage, softCoverage } = classCoverage({
      train,
      trainLabels,
      samples,
      predicted: [0, 0, 0],
      probabilities,
      classCount: 3,
      k: 2,
    });
    expect(coverage).toEqual([3 / 6, 0, null]);
    // Class 0: items 0 and 1 reach 0.2 (0.9), item 2 only 1.1 (0.8), items 3–5 nothing.
    expect(softCoverage[0]).toBeCloseTo((0.9 + 0.9 + 0.8) / 6, 6);
    expect(softCoverage[1]).toBeCloseTo(0.4, 6);
    expect(softCoverage[2]).toBeNull();
    expect(() =>
      classCoverage({
        train,
        trainLabels,
        samples,
        predicted: [0, 0, 0],
        probabilities: [1],
        classCount: 3,
      }),
    ).toThrow(RangeError);
  });

  it('refuses labels that do not match the rows', () => {
    expect(() =>
      classCoverage({
        train: line([0, 1]),
        trainLabels: [0],
        samples: line([0]),
        predicted: [0],
        classCount: 1,
      }),
    ).toThrow(RangeError);
  });
});
