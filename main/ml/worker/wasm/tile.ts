// Tile by block copies. tfjs's batch-norm gradient tiles the per-channel 1/σ up to the full
// activation shape ([1, 1, 1, C] → [N, H, W, C]) on every training step; the stock kernel computes
// a source index per output element. Here each input row is copied once and every repetition is a
// memmove of an already-written block, doubling the block each time (log₂ reps copies per axis).

import { util, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { byteOffset, heapU8, wasmBackendOf } from './wasmHeap';

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1 };

/** Repeats the `block` bytes at `start` until `count` copies sit back to back. */
export function repeatBlock(heap: Uint8Array, start: number, block: number, count: number): void {
  let written = 1;
  while (written < count) {
    const copies = Math.min(written, count - written);
    heap.copyWithin(start + written * block, start, start + copies * block);
    written += copies;
  }
}

function tileInto(
  heap: Uint8Array,
  shape: readonly number[],
  reps: readonly number[],
  bytes: number,
  src: number,
  dst: number,
): void {
  const rank = shape.length;
  // Bytes of one input / output block below each axis.
  const inBlock: number[] = new Array<number>(rank + 1).fill(bytes);
  const outBlock: number[] = new Array<number>(rank + 1).fill(bytes);
  for (let axis = rank - 1; axis >= 0; axis--) {
    inBlock[axis] = (inBlock[axis + 1] as number) * (shape[axis] as number);
    outBlock[axis] =
      (outBlock[axis + 1] as number) * (shape[axis] as number) * (reps[axis] as number);
  }
  const fill = (axis: number, from: number, to: number): void => {
    const size = shape[axis] as number;
    if (axis === rank - 1) {
      heap.copyWithin(to, from, from + size * bytes);
    } else {
      const inStep = inBlock[axis + 1] as number;
      const outStep = outBlock[axis + 1] as number;
      for (let i = 0; i < size; i++) fill(axis + 1, from + i * inStep, to + i * outStep);
    }
    repeatBlock(heap, to, size * (outBlock[axis + 1] as number), reps[axis] as number);
  };
  fill(0, src, dst);
}

export function tileKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    const reps = args.attrs?.reps as number[] | undefined;
    const bytes = x === undefined ? undefined : BYTES[x.dtype];
    if (
      x === undefined ||
      reps === undefined ||
      bytes === undefined ||
      x.shape.length === 0 ||
      reps.length !== x.shape.length
    ) {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    const outShape = x.shape.map((size, i) => size * (reps[i] as number));
    const out = backend.makeOutput(outShape, x.dtype as 'float32' | 'int32' | 'bool');
    if (util.sizeFromShape(outShape) === 0) return out;
    tileInto(
      heapU8(backend),
      x.shape,
      reps,
      bytes,
      byteOffset(backend, x),
      byteOffset(backend, out),
    );
    return out;
  };
  return { ...stock, kernelFunc };
}
