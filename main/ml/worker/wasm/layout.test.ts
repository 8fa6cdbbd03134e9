import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  seededTensor,
  seededValues,
  wasmVersusCpu,
  wasmWithStudioKernels,
} from '../testing/kernels';
import { setStridedOpsEnabled } from './stridedCopy';

const tensor = seededTensor;
const ints = (shape: number[], seed: number, max: number) =>
  tf.tensor(
    Int32Array.from(
      seededValues(
        shape.reduce((a, b) => a * b, 1),
        seed,
      ),
      (v) => Math.floor(((v + 1) / 2) * max),
    ),
    shape,
    'int32',
  );

// Shapes and permutations: rows that are not a multiple of the compiled path's block, a new last
// axis longer than the stock kernel takes, outer axes around the pair that trades places.
const TRANSPOSES: [number[], number[]][] = [
  [
    [37, 70],
    [1, 0],
  ],
  [
    [3, 40, 33],
    [0, 2, 1],
  ],
  [
    [2, 5, 7, 3],
    [3, 1, 2, 0],
  ],
  [
    [2, 5, 7, 3],
    [1, 2, 0, 3],
  ],
  [
    [4, 6, 2, 9],
    [0, 2, 1, 3],
  ],
  [
    [2, 1, 3, 1, 4],
    [4, 3, 2, 1, 0],
  ],
  [
    [5, 6],
    [0, 1],
  ],
  [
    [3, 100, 2, 5, 7],
    [0, 2, 3, 4, 1],
  ],
  [
    [130, 3, 50],
    [2, 1, 0],
  ],
];

describe('studio wasm layout kernels match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it.each(TRANSPOSES)('Transpose %j by %j', async (shape, perm) => {
    const error = await wasmVersusCpu(() => [
      tf.transpose(tensor(shape, 1), perm),
      tf.transpose(ints(shape, 2, 1000), perm).toFloat(),
    ]);
    expect(error).toBe(0);
  });

  // The stock kernel and the JS tiles, which take over without the compiled copies.
  it.each(TRANSPOSES)('Transpose %j by %j without the compiled copies', async (shape, perm) => {
    setStridedOpsEnabled(false);
    try {
      const error = await wasmVersusCpu(() => [
        tf.transpose(tensor(shape, 1), perm),
        tf.transpose(ints(shape, 2, 1000), perm).toFloat(),
      ]);
      expect(error).toBe(0);
    } finally {
      setStridedOpsEnabled(true);
    }
  });

  it.each([
    [
      [10, 12],
      [2, 3],
      [5, 9],
    ],
    [
      [4, 6, 8],
      [1, 0, 2],
      [2, 6, 3],
    ],
    [
      [4, 6, 8],
      [0, 2, 0],
      [4, 3, 8],
    ],
    [
      [3, 4, 5, 6],
      [1, 1, 1, 1],
      [2, 2, 3, 4],
    ],
    [[100], [7], [60]],
  ])('Slice %j from %j size %j', async (shape, begin, size) => {
    const error = await wasmVersusCpu(() => [
      tf.slice(tensor(shape, 3), begin, size),
      tf.slice(ints(shape, 4, 50), begin, size).toFloat(),
      tf.slice(tf.greater(tensor(shape, 5), 0), begin, size).toFloat(),
    ]);
    expect(error).toBe(0);
  });

  it('SplitV and Unpack along every axis', async () => {
    const error = await wasmVersusCpu(() => {
      const x = tensor([6, 4, 10], 6);
      return [
        ...tf.split(x, 2, 0),
        ...tf.split(x, [1, 3], 1),
        ...tf.split(x, [4, 4, 2], 2),
        ...tf.split(x, 4, 1),
        ...tf.unstack(x, 0),
        ...tf.unstack(x, 1),
        ...tf.unstack(x, 2),
      ];
    });
    expect(error).toBe(0);
  });

  it.each([
    [[20, 7], [9], 0, 0],
    [[5, 20, 3], [4, 2], 1, 0],
    [[3, 6, 4], [3, 5], 1, 1],
    [[8, 300], [1], 0, 0],
  ])(
    'GatherV2 of %j at indices %j, axis %i, batchDims %i',
    async (shape, indexShape, axis, batchDims) => {
      const error = await wasmVersusCpu(() => {
        const dim = shape[axis] as number;
        return tf.gather(tensor(shape, 7), ints(indexShape, 8, dim), axis, batchDims);
      });
      expect(error).toBe(0);
    },
  );

  it('GatherV2 refuses an index out of range', async () => {
    await wasmWithStudioKernels();
    expect(() => tf.tidy(() => tf.gather(tensor([4, 3], 1), tf.tensor1d([4], 'int32')))).toThrow(
      /index/,
    );
  });

  it.each([
    [
      [1, 1, 1, 5],
      [4, 3, 2, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [[4], [5]],
    [
      [2, 1, 3],
      [1, 4, 1],
    ],
  ])('Tile %j by %j', async (shape, reps) => {
    const error = await wasmVersusCpu(() => [
      tf.tile(tensor(shape, 9), reps),
      tf.tile(ints(shape, 10, 9), reps).toFloat(),
    ]);
    expect(error).toBe(0);
  });

  it('UnsortedSegmentSum, and the gradient of gather (an embedding lookup) through it', async () => {
    const error = await wasmVersusCpu(() => {
      const ids = ints([50], 11, 12) as tf.Tensor1D;
      const table = tensor([12, 6], 12);
      const embedGrad = tf.grad((t: tf.Tensor) => tf.gather(t, ids).square().sum())(table);
      return [
        tf.unsortedSegmentSum(tensor([50, 4], 13), ids, 12),
        tf.unsortedSegmentSum(ints([50, 3], 14, 100), ids, 15).toFloat(),
        embedGrad,
      ];
    });
    expect(error).toBeLessThan(1e-5);
  });
});
