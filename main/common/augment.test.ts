import { describe, expect, it } from 'vitest';
import { applyAugmentation, augmentImages, drawAugmentation } from './augment';

// A 3×3 single-channel image with values 1…9, row by row.
const image = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9]);
const shape = { height: 3, width: 3, channels: 1 };

describe('augmentation', () => {
  it('flips horizontally', () => {
    const out = applyAugmentation(image, shape, { flipped: true, dx: 0, dy: 0 }, [0]);
    expect([...out]).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
  });

  it('shifts and fills what it uncovers with the background', () => {
    const out = applyAugmentation(image, shape, { flipped: false, dx: 1, dy: -1 }, [-1]);
    expect([...out]).toEqual([-1, 4, 5, -1, 7, 8, -1, -1, -1]);
  });

  it('draws within the limits, and nothing when augmentation is off', () => {
    let state = 0;
    const random = () => ((state = (state + 0.37) % 1), state);
    for (let i = 0; i < 50; i++) {
      const draw = drawAugmentation({ flipHorizontal: true, maxShift: 2 }, random);
      expect(Math.abs(draw.dx)).toBeLessThanOrEqual(2);
      expect(Math.abs(draw.dy)).toBeLessThanOrEqual(2);
    }
    const pixels = Float32Array.from(image);
    const none = { flipHorizontal: false, maxShift: 0 };
    expect(augmentImages(pixels, 1, shape, none, [0], random)).toEqual(image);
  });

  it('draws for each image of a batch in turn: one flips, its neighbour does not', () => {
    const batch = new Float32Array(18);
    batch.set(image, 0);
    batch.set(image, 9);
    const draws = [0.9, 0.1]; // ≥ ½ keeps, < ½ flips
    const out = augmentImages(batch, 2, shape, { flipHorizontal: true, maxShift: 0 }, [0], () =>
      draws.length > 0 ? (draws.shift() as number) : 0,
    );
    expect([...out.subarray(0, 9)]).toEqual([...image]);
    expect([...out.subarray(9)]).toEqual([3, 2, 1, 6, 5, 4, 9, 8, 7]);
    expect([...batch.subarray(9)]).toEqual([...image]); // the source is left alone
  });
});
