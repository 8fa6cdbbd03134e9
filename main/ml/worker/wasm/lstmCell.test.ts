import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { lstmByKernels, lstmByOps, lstmSequence } from '../models/lstmSequence';
import {
  relativeError,
  runOn,
  seededValues,
  wasmWithStudioKernels,
  withProductsFused,
} from '../testing/kernels';
import { buildCharRnn } from '../models/charRnn';
import { lossesWithAndWithout, seededTextLosses } from '../testing/trainingLosses';
import { LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD } from './lstmCell';
import { lstmOps, setLstmOpsEnabled } from './lstmSimd';
import { wasmBackendOf } from './wasmHeap';

type Lstm = (...a: tf.Tensor[]) => tf.Tensor;

/**
 * [B, T, in, H]: odd sizes, one of everything, widths that fill whole f32x4 vectors, and a batch
 * and width whose recurrent products fit the compiled product's 4×8 tiles (the others go to
 * XNNPACK), in the kernels and in the op path's BatchMatMul alike.
 */
type Shape = [number, number, number, number];
const SHAPES: Shape[] = [
  [3, 6, 4, 5],
  [1, 1, 1, 1],
  [2, 9, 7, 8],
  [5, 3, 6, 12],
  [4, 5, 3, 8],
];

/** The layer's value and the gradients of every input, under a loss weighing each output. */
function valueAndGradients(lstm: Lstm, [B, T, In, H]: Shape, seed: number): tf.Tensor[] {
  const shapes = [[B, T, In], [In, 4 * H], [4 * H], [H, 4 * H], [4 * H]] as number[][];
  const inputs = shapes.map((shape, k) => {
    const size = shape.reduce((a, b) => a * b, 1);
    return tf.tensor(
      seededValues(size, seed + k).map((v) => 1.5 * v),
      shape,
    );
  });
  const weights = tf.tensor(seededValues(B * T * H, seed + 9), [B, T, H]);
  const { value, grads } = tf.valueAndGrads((...a: tf.Tensor[]) =>
    lstm(...a)
      .mul(weights)
      .sum(),
  )(inputs);
  return [lstm(...inputs), value, ...grads];
}

const fused: Lstm = (...a) => lstmByKernels(...a);
const byOps: Lstm = (...a) => lstmByOps(...a);

describe('the fused LSTM sequence kernels', () => {
  beforeAll(wasmWithStudioKernels);

  it('builds the compiled f32x4 loops here (else only the JS loops would be tested)', async () => {
    await wasmWithStudioKernels();
    expect(lstmOps(wasmBackendOf(tf.backend()), 8)).not.toBeNull();
    expect(lstmOps(wasmBackendOf(tf.backend()), 5)).toBeNull(); // H % 4 ≠ 0: JS loops
  });

  describe.each([
    ['compiled loops', true],
    ['JS loops', false],
  ])('with the %s', (_, compiled) => {
    // With the compiled products unfused: the op path's recurrent products then round as the
    // kernels' XNNPACK ones do. (Fused, the op path's round once a term where the kernels' round
    // twice; the kernels keep XNNPACK because per time step the compiled product's helper-thread
    // wake-ups cost more than it saves: charlstm 205-238 ms a step against 168-186.)
    it.each(SHAPES)(
      'B %i, T %i, in %i, H %i: the same bits as the op-by-op path on wasm (products unfused)',
      async (...shape: Shape) => {
        await withProductsFused(false, async () => {
          const expected = await runOn('wasm', () => valueAndGradients(byOps, shape, 1));
          setLstmOpsEnabled(compiled);
          try {
            const actual = await runOn('wasm', () => valueAndGradients(fused, shape, 1));
            expect(actual.map((a) => a.shape)).toEqual(expected.map((e) => e.shape));
            actual.forEach((a, k) => expect(a.values).toEqual(expected[k]?.values));
          } finally {
            setLstmOpsEnabled(true);
          }
        });
      },
    );
  });

  it.each(SHAPES)(
    'B %i, T %i, in %i, H %i: value and gradients match the cpu backend',
    async (...shape: Shape) => {
      const expected = await runOn('cpu', () => valueAndGradients(byOps, shape, 2));
      const actual = await runOn('wasm', () => valueAndGradients(fused, shape, 2));
      let worst = 0;
      actual.forEach((a, k) => {
        worst = Math.max(worst, relativeError(a.values, expected[k]?.values ?? new Float32Array()));
      });
      expect(worst).toBeLessThan(1e-5);
    },
  );

  it('runs as two kernels, and lstmSequence takes them on wasm', async () => {
    await wasmWithStudioKernels();
    const kernelsOf = async (lstm: Lstm) =>
      (
        await tf.profile(() => tf.tidy(() => valueAndGradients(lstm, [2, 16, 3, 4], 3)))
      ).kernels.map((k) => k.name);
    const names = await kernelsOf((...a) =>
      lstmSequence(...(a as Parameters<typeof lstmSequence>)),
    );
    expect(names.filter((n) => n === LSTM_SEQUENCE)).toHaveLength(2); // the value, and the tape's
    expect(names.filter((n) => n === LSTM_SEQUENCE_GRAD)).toHaveLength(1);
    // Op by op each of the 16 steps takes ~19 kernels; the rest (projection, weight gradients,
    // the loss) is the same in both.
    expect(names.length * 5).toBeLessThan((await kernelsOf(byOps)).length);
  });

  it('leaves a seeded char-LSTM training run the same to the bit', async () => {
    await wasmWithStudioKernels();
    const { fused, byOps } = lossesWithAndWithout([LSTM_SEQUENCE, LSTM_SEQUENCE_GRAD], () =>
      seededTextLosses(
        (vocabSize) =>
          buildCharRnn(
            { cell: 'lstm', vocabSize, sequenceLength: 12, embeddingDim: 8 },
            { seed: 5 },
          ),
        6,
        13,
        4,
      ),
    );
    expect(byOps).toEqual(fused);
    expect(fused.every(Number.isFinite)).toBe(true);
  });

  it('rejects shapes that do not fit, with the shapes in the message', async () => {
    await wasmWithStudioKernels();
    const projected = tf.zeros([2, 3, 8]);
    const hiddenKernel = tf.zeros([3, 8]);
    expect(() => tf.engine().runKernel(LSTM_SEQUENCE, { projected, hiddenKernel })).toThrow(
      /projected \[T, B, 4H\].*2,3,8.*3,8/,
    );
    tf.dispose([projected, hiddenKernel]);
  });
});
