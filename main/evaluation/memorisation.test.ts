import { describe, expect, it } from 'vitest';
import { selectRows } from './features';
import { mannWhitney } from './dataCopying';
import { memorisationReport } from './memorisation';
import { clusterWorld, drawClusters } from './testing/gaussianClusters';

const world = clusterWorld(1);
const train = drawClusters(world, 300, 2).rows;
const validation = drawClusters(world, 200, 3).rows;

describe('mannWhitney', () => {
  it('counts the pairs where x is larger, ties as a half', () => {
    expect(mannWhitney([1, 2, 3], [4, 5]).u).toBe(0);
    expect(mannWhitney([4, 5], [1, 2, 3]).u).toBe(6);
    expect(mannWhitney([1, 2], [2, 3]).u).toBe(0.5);
  });

  it('has the normal approximation scipy gives (continuity-corrected, no ties)', () => {
    // scipy.stats.mannwhitneyu([1,2,3,4,5], [6,7,8,9,10]): U = 0; mean 12.5, σ = √(25·11/12).
    const { z } = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
    expect(z).toBeCloseTo((0 - 12.5 + 0.5) / Math.sqrt((25 * 11) / 12), 12);
  });
});

describe('memorisationReport', () => {
  it('flags training items passed off as samples as copies of exactly those items', () => {
    const picked = Array.from({ length: 100 }, (_, i) => i * 3);
    const report = memorisationReport({ samples: selectRows(train, picked), train, validation });
    expect(report.nearCopyShare).toBe(1);
    expect(report.samples.map((s) => s.trainIndex)).toEqual(picked);
    expect(report.samples.every((s) => s.distance === 0)).toBe(true);
    expect(report.dataCopying.z).toBeLessThan(-5);
    expect(report.dataCopying.cells.ct).toBeLessThan(-5);
  });

  it('does not flag fresh samples of the same distribution', () => {
    const fresh = drawClusters(world, 200, 4).rows;
    const report = memorisationReport({ samples: fresh, train, validation });
    expect(report.nearCopyShare).toBeLessThan(0.05);
    expect(Math.abs(report.dataCopying.z)).toBeLessThan(3);
    expect(report.validationToTrain.p01).toBe(report.copyThreshold);
    expect(report.validationToTrain.median).toBeGreaterThan(report.validationToTrain.p05);
  });

  it('keeps its threshold when validation items are exact copies of training items', () => {
    // Duplicates across the split: 10 of the 200 validation items are training items themselves.
    const leaked = selectRows(train, Array.from({ length: 10 }, (_, i) => i * 7));
    const mixed = {
      count: validation.count + leaked.count,
      dim: validation.dim,
      values: Float32Array.from([...validation.values, ...leaked.values]),
    };
    const clean = memorisationReport({ samples: validation, train, validation });
    const report = memorisationReport({ samples: validation, train, validation: mixed });
    expect(report.validationToTrain.p01).toBe(0);
    expect(report.copyThreshold).toBeGreaterThan(0);
    expect(report.copyThreshold).toBeCloseTo(clean.copyThreshold, 1);
  });

  it('sees a mix: the share of near copies is the share of copied samples', () => {
    const copies = selectRows(
      train,
      Array.from({ length: 50 }, (_, i) => i),
    );
    const fresh = drawClusters(world, 150, 5).rows;
    const mixed = {
      values: Float32Array.from([...copies.values, ...fresh.values]),
      count: 200,
      dim: world.dim,
    };
    const report = memorisationReport({ samples: mixed, train, validation });
    expect(report.nearCopyShare).toBeGreaterThanOrEqual(0.25);
    expect(report.nearCopyShare).toBeLessThan(0.3);
    expect(report.dataCopying.z).toBeLessThan(-3);
  });

  it('calls samples far from everything underfit (z ≫ 0), not copies', () => {
    const far = drawClusters({ ...world, spread: 3 }, 200, 6).rows;
    const report = memorisationReport({ samples: far, train, validation });
    expect(report.nearCopyShare).toBeLessThan(0.05);
    expect(report.dataCopying.z).toBeGreaterThan(3);
  });

  it('finds the nearest training item in pixels too, when given', () => {
    const pixelsTrain = { values: Float32Array.of(0, 0, 1, 1, 5, 5), count: 3, dim: 2 };
    const pixelsSamples = { values: Float32Array.of(4.5, 5, 0.9, 1), count: 2, dim: 2 };
    const samples = selectRows(train, [7, 8]);
    const report = memorisationReport({
      samples,
      train,
      validation,
      pixels: { samples: pixelsSamples, train: pixelsTrain },
    });
    expect(report.samples.map((s) => s.pixelTrainIndex)).toEqual([2, 1]);
    expect(report.samples[0]?.pixelDistance).toBeCloseTo(0.5, 6);
  });

  it('is the same for the same inputs', () => {
    const fresh = drawClusters(world, 50, 4).rows;
    expect(memorisationReport({ samples: fresh, train, validation })).toEqual(
      memorisationReport({ samples: drawClusters(world, 50, 4).rows, train, validation }),
    );
  });
});
