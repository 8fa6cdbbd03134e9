// The char-GPT's layer norm (models/transformerOps.ts) as one kernel forward and one backward.
// Op by op it is 9 kernels forward and 10 backward (two row means each way, the broadcasts, the
// gain and bias), each a pass over the [B, T, C] activations, most of them on one thread; here
// each direction is one compiled pass per block of rows (rowReduceSimd.ts), shared with the
// helper threads.
//
// Every value is rounded to float32 in the order of the op path: each row's sums run
// sequentially from its first column, as the stock Mean kernel sums (then divides by C), and
// rsqrt is 1 / sqrt, so the results are the same bits (layerNorm.test.ts). The sums are what
// keeps a row on one chain of dependent adds, so the compiled code runs four rows side by side.
//
// StudioLayerNorm: inputs x [..., C], gain [C], bias [C], attr epsilon →
//   [y = x̂·gain + bias, x̂ = (x − mean)·rstd, rstd [..., 1] = 1 / sqrt(mean((x − mean)²) + ε)]
// StudioLayerNormGrad: inputs dy, x̂, rstd, gain →
//   [dx = ((dx̂ − mean(dx̂)) − x̂·mean(dx̂·x̂))·rstd with dx̂ = dy·gain, dy·x̂ (for the gain's gradient)]
// The gain's and bias's gradients are the leading-axis sums of dy·x̂ and dy, left to the Sum kernel
// (leadingReduce.ts) so that they keep its order.
//
// In chargpt's step (9 layer norms, [32, 128, 128]; AMD EPYC, 2 threads) the two kernels take
// 14 ms, 727 kernels a step become 583, and the step, alternated with the op path, went from
// 571, 598, 659 ms to 509, 511, 558 (at one thread 849 and 873 to 841 and 854).

import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { rowReduceOps } from './rowReduceSimd';
import { rowsOf, shareRows } from './sharedPasses';
import { allocF32, f32Offset, float32Input, heapF32, wasmBackendOf } from './wasmHeap';

export const LAYER_NORM = 'StudioLayerNorm';
export const LAYER_NORM_GRAD = 'StudioLayerNormGrad';

const f = Math.fround;

// ---- the JS loops, where the module cannot be built (the same operations in the same order) ----

/** Six heap offsets (float32 indices), in the kernel's argument order. */
type Six = [number, number, number, number, number, number];

function forwardLoops(
  heap: Float32Array,
  [x, gain, bias, y, xhat, rstd]: Six,
  rows: number,
  width: number,
  epsilon: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    let sum = 0;
    for (let c = 0; c < width; c++) sum = f(sum + (heap[x + row + c] as number));
    const mean = f(sum / width);
    let squares = 0;
    for (let c = 0; c < width; c++) {
      const centred = f((heap[x + row + c] as number) - mean);
      heap[xhat + row + c] = centred;
      squares = f(squares + f(centred * centred));
    }
    const r1 = f(1 / f(Math.sqrt(f(f(squares / width) + epsilon))));
    heap[rstd + r] = r1;
    for (let c = 0; c < width; c++) {
      const v = f((heap[xhat + row + c] as number) * r1);
      heap[xhat + row + c] = v;
      heap[y + row + c] = f(f(v * (heap[gain + c] as number)) + (heap[bias + c] as number));
    }
  }
}

function backwardLoops(
  heap: Float32Array,
  [dy, xhat, rstd, gain, dx, prod]: Six,
  rows: number,
  width: number,
): void {
  for (let r = 0; r < rows; r++) {
    const row = r * width;
    let m1 = 0;
    let m2 = 0;
    for (let c = 0; c < width; c++) {
      const d = f((heap[dy + row + c] as number) * (heap[gain + c] as number));
      heap[dx + row + c] = d;
      m1 = f(m1 + d);
      m2 = f(m2 + f(d * (heap[xhat + row + c] as number)));
    }
    m1 = f(m1 / width);
    m2 = f(m2 / width);
    const r1 = heap[rstd + r] as number;
    for (let c = 0; c < width; c++) {
      const h = heap[xhat + row + c] as number;
      const t = f(f((heap[dx + row + c] as number) - m1) - f(h * m2));
      heap[dx + row + c] = f(t * r1);
      heap[prod + row + c] = f((heap[dy + row + c] as number) * h);
    }
  }
}

// ---- the kernels ----

const layerNormForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = float32Input(LAYER_NORM, inputs.x, 'x');
  const gain = float32Input(LAYER_NORM, inputs.gain, 'gain');
  const bias = float32Input(LAYER_NORM, inputs.bias, 'bias');
  const epsilon = f(attrs?.epsilon as number);
  const [rows, width] = rowsOf(LAYER_NORM, x, gain, bias);
  const wb = wasmBackendOf(backend);
  const y = allocF32(wb, x.shape);
  const xhat = allocF32(wb, x.shape);
  const rstd = allocF32(wb, [...x.shape.slice(0, -1), 1]);
  if (rows * width === 0) return [y, xhat, rstd];
  const at = [x, gain, bias, y, xhat, rstd].map((t) => f32Offset(wb, t)) as Six;
  const ops = rowReduceOps(wb);
  if (ops === null || width % 4 !== 0) {
    forwardLoops(heapF32(wb), at, rows, width, epsilon);
    return [y, xhat, rstd];
  }
  const [xi, gi, bi, yi, hi, ri] = at.map((i) => 4 * i) as Six;
  const rowBytes = 4 * width;
  shareRows(wb, ops.lnForward, 'lnForward', {
    args: (row, n) => [
      ...[xi + row * rowBytes, gi, bi, yi + row * rowBytes, hi + row * rowBytes, ri + 4 * row],
      ...[n, rowBytes],
    ],
    rowSteps: [rowBytes, 0, 0, rowBytes, rowBytes, 4],
    floats: [width, epsilon],
    rows,
    rowBytes,
  });
  return [y, xhat, rstd];
};

const layerNormGrad: KernelFunc = ({ inputs, backend }) => {
  const dy = float32Input(LAYER_NORM_GRAD, inputs.dy, 'dy');
  const xhat = float32Input(LAYER_NORM_GRAD, inputs.xhat, 'xhat');
  const rstd = float32Input(LAYER_NORM_GRAD, inputs.rstd, 'rstd');
  const gain = float32Input(LAYER_NORM_GRAD, inputs.gain, 'gain');
  const [rows, width] = rowsOf(LAYER_NORM_GRAD, xhat, gain);
  if (util.sizeFromShape(dy.shape) !== rows * width || util.sizeFromShape(rstd.shape) !== rows) {
    throw new Error(
      `${LAYER_NORM_GRAD}: dy ${String(dy.shape)}, xhat ${String(xhat.shape)}, rstd ${String(rstd.shape)}`,
    );
  }
  const wb = wasmBackendOf(backend);
  const dx = allocF32(wb, xhat.shape);
  const prod = allocF32(wb, xhat.shape);
  if (rows * width === 0) return [dx, prod];
  const at = [dy, xhat, rstd, gain, dx, prod].map((t) => f32Offset(wb, t)) as Six;
  const ops = rowReduceOps(wb);
  if (ops === null || width % 4 !== 0) {
    backwardLoops(heapF32(wb), at, rows, width);
    return [dx, prod];
  }
  const [di, hi, ri, gi, xi, pi] = at.map((i) => 4 * i) as Six;
  const rowBytes = 4 * width;
  shareRows(wb, ops.lnBackward, 'lnBackward', {
    args: (row, n) => [
      ...[di + row * rowBytes, hi + row * rowBytes, ri + 4 * row, gi],
      ...[xi + row * rowBytes, pi + row * rowBytes, n, rowBytes],
    ],
    rowSteps: [rowBytes, rowBytes, 4, 0, rowBytes, rowBytes],
    floats: [width],
    rows,
    rowBytes,
  });
  return [dx, prod];
};

export function layerNormKernel(): KernelConfig {
  return { kernelName: LAYER_NORM, backendName: 'wasm', kernelFunc: layerNormForward };
}

export function layerNormGradKernel(): KernelConfig {
  return { kernelName: LAYER_NORM_GRAD, backendName: 'wasm', kernelFunc: layerNormGrad };
}
