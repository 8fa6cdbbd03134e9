import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { augmentBatch } from './data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// One 2×3 grey image: rows [1 2 3] and [4 5 6].
const image = (): tf.Tensor4D => tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);

describe('augmentBatch', () => {
  it('mirrors left–right when the draw says so, and leaves the image alone otherwise', () => {
    const flipped = augmentBatch(
      image(),
      { flipHorizontal: true, maxShift: 0, fill: [0] },
      () => 0.1,
    );
    expect(Array.from(flipped.dataSync())).toEqual([3, 2, 1, 6, 5, 4]);
    flipped.dispose();
    const kept = augmentBatch(image(), { flipHorizontal: true, maxShift: 0, fill: [0] }, () => 0.9);
    expect(Array.from(kept.dataSync())).toEqual([1, 2, 3, 4, 5, 6]);
    kept.dispose();
  });

  it('shifts by the drawn amount and fills what is uncovered with the background', () => {
    // random() = 0 draws the largest negative shift: one pixel left and one up.
    const shifted = augmentBatch(
      image(),
      { flipHorizontal: false, maxShift: 1, fill: [9] },
      () => 0,
    );
    expect(Array.from(shifted.dataSync())).toEqual([5, 6, 9, 9, 9, 9]);
    shifted.dispose();
    // random() just under 1 draws one pixel right and one down.
    const other = augmentBatch(
      image(),
      { flipHorizontal: false, maxShift: 1, fill: [9] },
      () => 0.99,
    );
    expect(Array.from(other.dataSync())).toEqual([9, 9, 9, 9, 1, 2]);
    other.dispose();
  });

  it('frees its input and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const out = augmentBatch(image(), { flipHorizontal: true, maxShift: 2, fill: [0] }, () => 0.3);
    expect(tf.memory().numTensors).toBe(before + 1);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
