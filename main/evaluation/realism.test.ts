// The sanity checks issue 11 asks of every realism metric, on Gaussian-cluster "features": held-out
// data from the training distribution must score far better than noise and than blank images, a
// sample set with half the classes gone must lose recall and coverage, and a seed fixes the result.

import { describe, expect, it } from 'vitest';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance } from './kid';
import { manifoldMetrics } from './manifold';
import { clusterWorld, constantRows, drawClusters, noiseRows } from './testing/gaussianClusters';
import type { FeatureRows } from './features';

const world = clusterWorld(1);
const validation = drawClusters(world, 200, 2).rows;
const fresh = drawClusters(world, 200, 3).rows;
// Noise images embed close together (a network averages i.i.d. pixels away), so their features
// are a tight blob; here one in the middle of the data's box, between its clusters.
const noise = noiseRows(200, world.dim, 4, 1);
// Features spread over the whole space, wider than the data.
const wideNoise = noiseRows(200, world.dim, 4, 6);
// Blank images all embed at one point, off the data's clusters.
const blank = constantRows(200, world.dim, -8);
const halfTheClasses = drawClusters(world, 200, 5, [0, 1, 2, 3, 4]).rows;

function allMetrics(samples: FeatureRows) {
  return {
    fd: frechetDistance(validation, samples),
    kid: kernelInceptionDistance(validation, samples, { subsets: 5, subsetSize: 100, seed: 1 }).kid,
    ...manifoldMetrics(validation, samples),
  };
}

describe('realism metrics on Gaussian-cluster features', () => {
  const good = allMetrics(fresh);
  const bad = { noise: allMetrics(noise), blank: allMetrics(blank) };

  it('score fresh data from the distribution near perfect', () => {
    expect(good.fd).toBeLessThan(2);
    // With k = 3 in 8 dimensions the balls miss a share of points even of the same distribution.
    expect(good.precision).toBeGreaterThan(0.75);
    expect(good.recall).toBeGreaterThan(0.75);
    expect(good.density).toBeGreaterThan(0.8);
    expect(good.density).toBeLessThan(1.25);
    expect(good.coverage).toBeGreaterThan(0.9);
  });

  for (const kind of ['noise', 'blank'] as const) {
    it(`score ${kind} far worse than held-out data on every metric`, () => {
      const worse = bad[kind];
      expect(worse.fd).toBeGreaterThan(10 * good.fd);
      expect(worse.kid).toBeGreaterThan(10 * Math.abs(good.kid));
      expect(worse.precision).toBeLessThan(good.precision / 2);
      expect(worse.recall).toBeLessThan(good.recall / 2);
      expect(worse.density).toBeLessThan(good.density / 2);
      expect(worse.coverage).toBeLessThan(good.coverage / 2);
    });
  }

  it('catch features spread wider than the data, though k-NN recall alone does not', () => {
    // The samples' balls are wide, so they hold every real point: the weakness of Kynkäänniemi's
    // recall that Naeem et al.'s coverage (real balls holding a sample) was made for.
    const wide = allMetrics(wideNoise);
    expect(wide.recall).toBeGreaterThan(0.9);
    expect(wide.coverage).toBeLessThan(good.coverage / 2);
    expect(wide.precision).toBeLessThan(good.precision / 2);
    expect(wide.density).toBeLessThan(good.density / 2);
    expect(wide.fd).toBeGreaterThan(10 * good.fd);
    expect(wide.kid).toBeGreaterThan(10 * Math.abs(good.kid));
  });

  it('lose recall and coverage, not precision, when half the classes are missing', () => {
    const half = allMetrics(halfTheClasses);
    expect(half.precision).toBeGreaterThan(0.75);
    expect(half.recall).toBeLessThan(0.6);
    expect(half.coverage).toBeLessThan(0.6);
    expect(half.fd).toBeGreaterThan(5 * good.fd);
  });

  it('are the same for the same data and seed', () => {
    const again = allMetrics(drawClusters(world, 200, 3).rows);
    expect(again).toEqual(good);
  });
});
