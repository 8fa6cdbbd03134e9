// Slice, SplitV and Unpack as block copies inside the heap. The stock wasm Slice starts by reading
// the whole input back out of the heap (readSync copies it) and then copies the slice from that
// copy; SplitV and Unpack call it once per output. Splitting an LSTM's [B, 4H] gates into four, or
// a sequence into its T steps, so copied the full tensor 4 or T times per call. Here only the
// selected elements move, in the longest contiguous runs the slice allows.

import {
  backend_util,
  slice_util,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { byteOffset, heapI32, heapU8, wasmBackendOf, type WasmBackend } from './wasmHeap';

/** Runs at least this long are moved with copyWithin (a memmove) rather than a loop. */
const MEMMOVE_RUN = 48;

/** Bytes per element of the dtypes handled here; others go to the stock kernels. */
function elementBytes(dtype: string): 1 | 4 | null {
  if (dtype === 'float32' || dtype === 'int32') return 4;
  if (dtype === 'bool') return 1;
  return null;
}

/**
 * Copies the box `begin`…`begin + size` of a row-major `shape` tensor at element `src` of `heap`
 * to `dst`, contiguous. Trailing axes the box covers whole merge into one run per copy.
 */
export function copyBox(
  heap: Int32Array | Uint8Array,
  src: number,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  dst: number,
): void {
  const rank = shape.length;
  // The run: the innermost axes covered whole, plus the first partially covered axis.
  let split = rank - 1;
  let run = size[rank - 1] ?? 1;
  while (split > 0 && size[split] === shape[split]) {
    split--;
    run *= size[split] as number;
  }
  const strides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--)
    strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  let from = src;
  for (let i = 0; i < rank; i++) from += (begin[i] ?? 0) * (strides[i] as number);
  const outer = size.slice(0, split);
  const total = outer.reduce((a, b) => a * b, 1);
  if (total === 0 || run === 0) return;
  const index = new Array<number>(outer.length).fill(0);
  let to = dst;
  for (let n = 0; n < total; n++) {
    if (run >= MEMMOVE_RUN) heap.copyWithin(to, from, from + run);
    else for (let k = 0; k < run; k++) heap[to + k] = heap[from + k] as number;
    to += run;
    // Advance the odometer over the outer axes of the box.
    for (let axis = outer.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      from += strides[axis] as number;
      if ((index[axis] as number) < (outer[axis] as number)) break;
      from -= (outer[axis] as number) * (strides[axis] as number);
      index[axis] = 0;
    }
  }
}

/** A fresh tensor holding the box of `x`; null when the dtype is not handled here. */
function sliceOf(
  backend: WasmBackend,
  x: TensorInfo,
  begin: readonly number[],
  size: number[],
): TensorInfo | null {
  const bytes = elementBytes(x.dtype);
  if (bytes === null) return null;
  const out = backend.makeOutput(size, x.dtype as 'float32' | 'int32' | 'bool');
  if (util.sizeFromShape(size) === 0) return out;
  if (bytes === 4) {
    copyBox(
      heapI32(backend),
      byteOffset(backend, x) >>> 2,
      x.shape,
      begin,
      size,
      byteOffset(backend, out) >>> 2,
    );
  } else {
    copyBox(
      heapU8(backend),
      byteOffset(backend, x),
      x.shape,
      begin,
      size,
      byteOffset(backend, out),
    );
  }
  return out;
}

export function sliceKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || elementBytes(x.dtype) === null) return stock.kernelFunc(args);
    const [begin, size] = slice_util.parseSliceParams(
      x,
      args.attrs?.begin as number[],
      args.attrs?.size as number[],
    ) as [number[], number[]];
    slice_util.assertParamsValid(x, begin, size);
    return sliceOf(wasmBackendOf(args.backend), x, begin, size) ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

export function splitVKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || elementBytes(x.dtype) === null) return stock.kernelFunc(args);
    const backend = wasmBackendOf(args.backend);
    const axis = util.parseAxisParam(args.attrs?.axis as number, x.shape)[0] ?? 0;
    const sizes = backend_util.prepareSplitSize(
      x,
      args.attrs?.numOrSizeSplits as number[] | number,
      axis,
    );
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((part) => {
      const size = [...x.shape];
      size[axis] = part;
      const out = sliceOf(backend, x, begin, size) as TensorInfo;
      begin[axis] = (begin[axis] as number) + part;
      return out;
    });
  };
  return { ...stock, kernelFunc };
}

export function unpackKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { value } = args.inputs;
    if (value === undefined || elementBytes(value.dtype) === null) return stock.kernelFunc(args);
    const backend = wasmBackendOf(args.backend);
    const rank = value.shape.length;
    let axis = args.attrs?.axis as number;
    if (axis < 0) axis += rank;
    const count = value.shape[axis] as number;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = [...value.shape];
    size[axis] = 1;
    return Array.from({ length: count }, (_, i) => {
      begin[axis] = i;
      const out = sliceOf(backend, value, begin, size) as TensorInfo;
      return { ...out, shape: outShape };
    });
  };
  return { ...stock, kernelFunc };
}
