// The softmax's gradient, dx = y·(dy − Σ dy·y) along the last axis, as one kernel. Op by op it is
// four kernels (Multiply, Sum, Sub, Multiply), each a pass over chargpt's [B, h, T, T] attention
// weights, the sum and the row-wise Sub on one thread; here one compiled pass per block of rows
// (rowReduceSimd.ts), shared with the helper threads (sharedPasses.ts). Each row's sum runs from its
// first column as the stock Sum kernel sums, and every value is rounded to float32 in the op
// path's order, so the results are the same bits (softmaxGrad.test.ts).
//
// StudioSoftmaxGrad: inputs dy, y (the softmax's output) of one shape → dx.

import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { rowsOf, shareRows } from './sharedPasses';
import { rowReduceOps } from './rowReduceSimd';
import { allocF32, f32Offset, float32Input, heapF32, wasmBackendOf } from './wasmHeap';

export const SOFTMAX_GRAD = 'StudioSoftmaxGrad';

const f = Math.fround;

/** The JS loop, where the module cannot be built or rows are not a multiple of 4 wide. */
function softmaxGradLoops(
  heap: Float32Array,
  dy: number,
  y: number,
  dx: number,
  rows: number,
  width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    let sum = 0;
    for (let c = 0; c < width; c++) {
      sum = f(sum + f((heap[dy + row + c] as number) * (heap[y + row + c] as number)));
    }
    for (let c = 0; c < width; c++) {
      heap[dx + row + c] = f(
        (heap[y + row + c] as number) * f((heap[dy + row + c] as number) - sum),
      );
    }
  }
}

const softmaxGrad: KernelFunc = ({ inputs, backend }) => {
  const dy = float32Input(SOFTMAX_GRAD, inputs.dy, 'dy');
  const y = float32Input(SOFTMAX_GRAD, inputs.y, 'y');
  if (!util.arraysEqual(dy.shape, y.shape)) {
    throw new Error(`${SOFTMAX_GRAD}: dy ${String(dy.shape)} against y ${String(y.shape)}`);
  }
  const wb = wasmBackendOf(backend);
  const dx = allocF32(wb, y.shape);
  const [rows, width] = rowsOf(SOFTMAX_GRAD, y);
  if (rows * width === 0) return dx;
  const [di, yi, xi] = [dy, y, dx].map((t) => f32Offset(wb, t)) as [number, number, number];
  const ops = rowReduceOps(wb);
  if (ops === null || width % 4 !== 0) {
    softmaxGradLoops(heapF32(wb), di, yi, xi, rows, width);
    return dx;
  }
  const rowBytes = 4 * width;
  shareRows(wb, ops.softmaxBackward, 'softmaxBackward', {
    args: (row, n) => [
      ...[4 * di + row * rowBytes, 4 * yi + row * rowBytes, 4 * xi + row * rowBytes],
      ...[n, rowBytes],
    ],
    rowSteps: [rowBytes, rowBytes, rowBytes],
    floats: [],
    rows,
    rowBytes,
  });
  return dx;
};

export function softmaxGradKernel(): KernelConfig {
  return { kernelName: SOFTMAX_GRAD, backendName: 'wasm', kernelFunc: softmaxGrad };
}
