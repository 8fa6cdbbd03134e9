import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { seededValues, wasmWithStudioKernels } from '../testing/kernels';
import { stridedOps, type StridedOps } from './stridedCopy';
import { allocF32, dispose, f32Offset, heapF32, wasmBackendOf, type WasmBackend } from './wasmHeap';

describe('compiled strided copies on the wasm heap', () => {
  let backend: WasmBackend;
  let ops: StridedOps;

  beforeAll(async () => {
    await wasmWithStudioKernels();
    await tf.setBackend('wasm');
    backend = wasmBackendOf(tf.backend());
    const built = stridedOps(backend);
    // The convolution kernels' tests only exercise these if the module builds here.
    expect(built).not.toBeNull();
    ops = built as StridedOps;
  });

  /** Runs `apply` on heap buffers of source values and destination values, returns the result. */
  function run(apply: (dst: number, src: number) => void): { before: number[]; after: number[] } {
    const src = allocF32(backend, [64]);
    const dst = allocF32(backend, [64]);
    const heap = heapF32(backend);
    heap.set(seededValues(64, 1), f32Offset(backend, src));
    heap.set(seededValues(64, 2), f32Offset(backend, dst));
    const before = Array.from(heap.subarray(f32Offset(backend, dst), f32Offset(backend, dst) + 64));
    apply(4 * f32Offset(backend, dst), 4 * f32Offset(backend, src));
    const out = heapF32(backend);
    const after = Array.from(out.subarray(f32Offset(backend, dst), f32Offset(backend, dst) + 64));
    dispose(backend, src, dst);
    return { before, after };
  }

  const source = Array.from(seededValues(64, 1));

  it('copy32 moves one value per cell of a strided grid and leaves the rest', () => {
    // 3 rows × 4 columns: dst[10r + 2c] = src[5r + c].
    const { before, after } = run((dst, src) => ops.copy32(dst, 40, 8, src, 20, 4, 3, 4));
    const expected = [...before];
    for (let r = 0; r < 3; r++)
      for (let c = 0; c < 4; c++) expected[10 * r + 2 * c] = source[5 * r + c] as number;
    expect(after).toEqual(expected);
  });

  it('add32 adds in float32', () => {
    const { before, after } = run((dst, src) => ops.add32(dst, 40, 8, src, 20, 4, 3, 4));
    const expected = [...before];
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 4; c++) {
        const i = 10 * r + 2 * c;
        expected[i] = Math.fround((before[i] as number) + (source[5 * r + c] as number));
      }
    }
    expect(after).toEqual(expected);
  });

  it('copyBlocks moves runs of bytes', () => {
    // 2 rows × 3 columns of 3-value blocks: dst[20r + 10c + k] = src[6r + 3c + k]... with the
    // source rows overlapping their neighbours (row stride 6 < 3 blocks of 3).
    const { before, after } = run((dst, src) => ops.copyBlocks(dst, 80, 40, src, 24, 12, 2, 3, 12));
    const expected = [...before];
    for (let r = 0; r < 2; r++) {
      for (let c = 0; c < 3; c++) {
        for (let k = 0; k < 3; k++)
          expected[20 * r + 10 * c + k] = source[6 * r + 3 * c + k] as number;
      }
    }
    expect(after).toEqual(expected);
  });

  it('an empty grid writes nothing', () => {
    const { before, after } = run((dst, src) => {
      ops.copy32(dst, 4, 4, src, 4, 4, 0, 5);
      ops.add32(dst, 4, 4, src, 4, 4, 5, 0);
    });
    expect(after).toEqual(before);
  });
});
