// The char-GPT's GELU (tanh form, as x·σ(z), z = x·(C1 + C2·x²); models/transformerOps.ts) as
// one kernel forward and one backward. Op by op it is 6 kernels forward and 8 backward, each a
// pass over the [B, T, 4C] MLP activations; here the forward is two f32x4 passes around XNNPACK's
// sigmoid and the backward one pass. Every operation rounds to float32 in the order of the op
// path, with the same XNNPACK sigmoid, so the results are the same bits (gelu.test.ts).
//
// StudioGelu: input x, attrs c1, c2 → [y = x·σ(z), s = σ(z)] (s is what the backward reads).
// StudioGeluGrad: inputs dy, x, s, attrs c1, c3 (= 3·C2) →
//   dx = dy·((s − s²)·(x·(c1 + c3·x²)) + s)

import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { geluOps } from './geluSimd';
import { shareBytes } from './sharedPasses';
import {
  allocF32,
  f32Offset,
  float32Input,
  heapF32,
  registerView,
  releaseView,
  wasmBackendOf,
} from './wasmHeap';

export const GELU = 'StudioGelu';
export const GELU_GRAD = 'StudioGeluGrad';

const f = Math.fround;

// ---- the kernels ----

const geluForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = float32Input(GELU, inputs.x, 'x');
  const c1 = f(attrs?.c1 as number);
  const c2 = f(attrs?.c2 as number);
  const wb = wasmBackendOf(backend);
  const size = util.sizeFromShape(x.shape);
  const y = allocF32(wb, x.shape);
  const s = allocF32(wb, x.shape);
  if (size === 0) return [y, s];
  const [xi, yi, si] = [x, y, s].map((t) => f32Offset(wb, t)) as [number, number, number];
  const ops = geluOps(wb);
  const vectors = ops === null ? 0 : size & ~3;
  if (ops !== null && vectors > 0) {
    shareBytes(wb, ops.geluPreactivation, 'geluPreactivation', [4 * xi, 4 * si], 4 * vectors, [
      c1,
      c2,
    ]);
  }
  let heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    const v = heap[xi + i] as number;
    heap[si + i] = f(v * f(f(f(v * v) * c2) + c1));
  }
  const view = registerView(wb, si, size);
  wb.wasm._Sigmoid(view, view); // the stock Sigmoid's XNNPACK operator, in place
  releaseView(wb, view);
  if (ops !== null && vectors > 0) {
    shareBytes(wb, ops.geluTimes, 'geluTimes', [4 * xi, 4 * si, 4 * yi], 4 * vectors);
  }
  heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    heap[yi + i] = f((heap[xi + i] as number) * (heap[si + i] as number));
  }
  return [y, s];
};

const geluGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = float32Input(GELU_GRAD, inputs.dy, 'dy');
  const x = float32Input(GELU_GRAD, inputs.x, 'x');
  const s = float32Input(GELU_GRAD, inputs.s, 's');
  const size = util.sizeFromShape(x.shape);
  if (util.sizeFromShape(dy.shape) !== size || util.sizeFromShape(s.shape) !== size) {
    throw new Error(
      `${GELU_GRAD}: dy ${String(dy.shape)}, x ${String(x.shape)}, s ${String(s.shape)}`,
    );
  }
  const c1 = f(attrs?.c1 as number);
  const c3 = f(attrs?.c3 as number);
  const wb = wasmBackendOf(backend);
  const dx = allocF32(wb, x.shape);
  const [g, xi, si, o] = [dy, x, s, dx].map((t) => f32Offset(wb, t)) as [
    number,
    number,
    number,
    number,
  ];
  const ops = geluOps(wb);
  const vectors = ops === null ? 0 : size & ~3;
  if (ops !== null && vectors > 0) {
    shareBytes(wb, ops.geluGrad, 'geluGrad', [4 * g, 4 * xi, 4 * si, 4 * o], 4 * vectors, [c1, c3]);
  }
  const heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    const v = heap[xi + i] as number;
    const sv = heap[si + i] as number;
    const xdz = f(f(f(f(v * v) * c3) + c1) * v);
    heap[o + i] = f((heap[g + i] as number) * f(f(f(sv - f(sv * sv)) * xdz) + sv));
  }
  return dx;
};

export function geluKernel(): KernelConfig {
  return { kernelName: GELU, backendName: 'wasm', kernelFunc: geluForward };
}

export function geluGradKernel(): KernelConfig {
  return { kernelName: GELU_GRAD, backendName: 'wasm', kernelFunc: geluGrad };
}
