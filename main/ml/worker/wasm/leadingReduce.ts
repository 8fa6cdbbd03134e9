// Sum and Mean over the leading axes ([B, F] → [F], [N, H, W, C] → [C]): every bias gradient,
// every batch-norm statistic and its gradient. The stock kernels only reduce innermost axes, so
// they first transpose the whole tensor to put the reduced axes last; that strided copy costs more
// than the sum. Here the rows are one average pooling window of XNNPACK's (x as a [1, rows, 1,
// width] image pooled over its whole height: SIMD, ≈ 7× the JS loop below on a 400 k-value batch
// norm statistic), the sum its mean times the row count. The JS loop adds rows in memory order,
// four at a time (float32, flushed to float64 every few hundred rows so long sums stay accurate),
// for a build without that entry point, for a single row, which XNNPACK's pooling refuses, and
// for rows wider than MAX_POOLED_WIDTH.
// Reductions over other axes go to the stock kernels.

import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { f32Offset, heapF32, idOf, wasmBackendOf, type WasmBackend } from './wasmHeap';

/** Rows and row length when `axis` is exactly the leading axes 0..k−1 with 0 < k < rank. */
function leadingSplit(
  x: TensorInfo,
  axis: unknown,
): { rows: number; width: number; k: number } | null {
  if (x.dtype !== 'float32') return null;
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis as number | number[], x.shape).sort((a, b) => a - b);
  const k = axes.length;
  if (k === 0 || k >= rank || axes.some((a, i) => a !== i)) return null;
  return {
    rows: util.sizeFromShape(x.shape.slice(0, k)),
    width: util.sizeFromShape(x.shape.slice(k)),
    k,
  };
}

/** Rows summed four at a time in float32, flushed into float64 every block to bound the error. */
const ROWS_PER_FLUSH = 256;

function sumLeadingRows(
  heap: Float32Array,
  src: number,
  rows: number,
  width: number,
  dst: number,
): void {
  const total = new Float64Array(width);
  const block = new Float32Array(width);
  for (let start = 0; start < rows; start += ROWS_PER_FLUSH) {
    const end = Math.min(rows, start + ROWS_PER_FLUSH);
    block.fill(0);
    let r = start;
    for (; r + 4 <= end; r += 4) {
      const a = src + r * width;
      const b = a + width;
      const c = b + width;
      const d = c + width;
      for (let j = 0; j < width; j++) {
        block[j] =
          (block[j] as number) +
          ((heap[a + j] as number) + (heap[b + j] as number)) +
          ((heap[c + j] as number) + (heap[d + j] as number));
      }
    }
    for (; r < end; r++) {
      const a = src + r * width;
      for (let j = 0; j < width; j++) block[j] = (block[j] as number) + (heap[a + j] as number);
    }
    for (let j = 0; j < width; j++) total[j] = (total[j] as number) + (block[j] as number);
  }
  heap.set(total, dst);
}

/**
 * XNNPACK's multipass pooling keeps a row of `width` floats on the wasm stack (alloca), which a
 * 16 k-wide row overflows (it corrupted memory in char-GPT's attention-score gradient); 4 k floats
 * is 16 KB, and covers the batch-norm and bias widths (the dcgan's widest is 3136).
 */
const MAX_POOLED_WIDTH = 4096;

/** out [width] = the mean of the rows of x [rows, width] through XNNPACK; false if unavailable. */
function meanOfRowsByPooling(
  backend: WasmBackend,
  x: TensorInfo,
  rows: number,
  width: number,
  out: TensorInfo,
): boolean {
  const pool = backend.wasm._AvgPool;
  if (pool === undefined || rows < 2 || width > MAX_POOLED_WIDTH) return false;
  // x, batch, height, width, window height, window width, pads t r b l, strides, channels, out
  pool.call(
    backend.wasm,
    idOf(backend, x),
    1,
    rows,
    1,
    rows,
    1,
    0,
    0,
    0,
    0,
    1,
    1,
    width,
    idOf(backend, out),
  );
  return true;
}

function reduceLeadingKernel(stock: KernelConfig, scaleByCount: boolean): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    const split = x === undefined ? null : leadingSplit(x, args.attrs?.axis);
    if (x === undefined || split === null) return stock.kernelFunc(args);
    const { rows, width, k } = split;
    const backend = wasmBackendOf(args.backend);
    const keepDims = args.attrs?.keepDims === true;
    const outShape = keepDims
      ? [...x.shape.slice(0, k).map(() => 1), ...x.shape.slice(k)]
      : x.shape.slice(k);
    const out = backend.makeOutput(outShape, 'float32');
    if (width > 0 && meanOfRowsByPooling(backend, x, rows, width, out)) {
      if (!scaleByCount) {
        const heap = heapF32(backend);
        const dst = f32Offset(backend, out);
        for (let j = 0; j < width; j++) heap[dst + j] = (heap[dst + j] as number) * rows;
      }
      return out;
    }
    sumLeadingRows(heapF32(backend), f32Offset(backend, x), rows, width, f32Offset(backend, out));
    if (scaleByCount && rows > 0) {
      const heap = heapF32(backend);
      const dst = f32Offset(backend, out);
      for (let j = 0; j < width; j++) heap[dst + j] = (heap[dst + j] as number) / rows;
    }
    return out;
  };
  return { ...stock, kernelFunc };
}

export function sumKernel(stock: KernelConfig): KernelConfig {
  return reduceLeadingKernel(stock, false);
}

export function meanKernel(stock: KernelConfig): KernelConfig {
  return reduceLeadingKernel(stock, true);
}
