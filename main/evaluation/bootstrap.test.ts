import { describe, expect, it } from 'vitest';
import { seededRandom } from '../common/random';
import { distanceErrors } from './bootstrap';
import type { FeatureRows } from './features';
import { frechetDistance } from './frechet';
import { kernelInceptionDistance } from './kid';
import { normalDraws } from './testing/gaussianClusters';

const DIM = 12;

/**
 * `count` independent draws of a mixture: each row picks one of `centres` at random and adds
 * noise of `spread` (so two draws of the same size differ as two sample sets of a model do).
 */
function mixture(
  centres: readonly number[][],
  spread: number,
  count: number,
  seed: number,
): FeatureRows {
  const random = seededRandom(seed);
  const normal = normalDraws(random);
  const values = new Float32Array(count * DIM);
  for (let i = 0; i < count; i++) {
    const centre = centres[Math.floor(random() * centres.length)] as number[];
    for (let d = 0; d < DIM; d++) values[i * DIM + d] = (centre[d] as number) + spread * normal();
  }
  return { values, count, dim: DIM };
}

function centresOf(count: number, seed: number): number[][] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: DIM }, () => random() * 6 - 3));
}

const sd = (values: number[]): number => {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1));
};

describe('distanceErrors', () => {
  const data = centresOf(10, 1);
  const reference = mixture(data, 1, 180, 2);
  // Worlds the estimate was not shaped on: a model missing classes and too wide, one too narrow,
  // and one whose rows are not Gaussian at all (uniform in a box).
  const models: [string, (seed: number) => FeatureRows][] = [
    ['missing classes, too wide', (seed) => mixture(data.slice(0, 7), 1.4, 256, seed)],
    ['too narrow', (seed) => mixture(data, 0.6, 256, seed)],
    [
      'uniform in a box',
      (seed) => {
        const random = seededRandom(seed);
        const values = Float32Array.from({ length: 256 * DIM }, () => random() * 8 - 4);
        return { values, count: 256, dim: DIM };
      },
    ],
  ];

  it.each(models)(
    'matches the spread of FID and KID over independent sample sets (%s)',
    (_name, draw) => {
      const fid: number[] = [];
      const kid: number[] = [];
      const estimatedFid: number[] = [];
      const estimatedKid: number[] = [];
      for (let s = 0; s < 16; s++) {
        const samples = draw(100 + s);
        fid.push(frechetDistance(reference, samples));
        kid.push(kernelInceptionDistance(reference, samples, { seed: 7 }).kid);
        const errors = distanceErrors(reference, samples, { seed: s });
        estimatedFid.push(errors.frechetDistance);
        estimatedKid.push(errors.kid);
      }
      const meanOf = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
      // With 16 sets the observed spread is itself uncertain by about ±18% (one se): a factor
      // of 1.6 either way is a wrong estimate, not bad luck.
      expect(meanOf(estimatedFid) / sd(fid)).toBeGreaterThan(1 / 1.6);
      expect(meanOf(estimatedFid) / sd(fid)).toBeLessThan(1.6);
      expect(meanOf(estimatedKid) / sd(kid)).toBeGreaterThan(1 / 1.6);
      expect(meanOf(estimatedKid) / sd(kid)).toBeLessThan(1.6);
    },
  );

  it('is the same for a seed and shrinks with more samples', () => {
    const small = models[0]![1](5);
    expect(distanceErrors(reference, small, { seed: 3 })).toEqual(
      distanceErrors(reference, small, { seed: 3 }),
    );
    const large = mixture(data.slice(0, 7), 1.4, 1024, 5);
    const errorsSmall = distanceErrors(reference, small, { seed: 3 });
    const errorsLarge = distanceErrors(reference, large, { seed: 3 });
    expect(errorsLarge.frechetDistance).toBeLessThan(errorsSmall.frechetDistance);
    expect(errorsLarge.kid).toBeLessThan(errorsSmall.kid);
  });
});
