// A whole LSTM layer's recurrence as one kernel forward and one backward (issue 14). Op by op,
// each time step ran ~12 kernels forward (gather, matMul, add, split, 3 sigmoid, 2 tanh, 3 mul/add)
// and ~7 backward on [B, H] tensors, where the tfjs dispatch around a kernel costs more than its
// arithmetic: 3946 kernels a charlstm step. Here the loop over time steps runs inside the kernel,
// on the heap: per step one XNNPACK fully-connected call (h·W_hh forward, dGates·W_hhᵀ backward)
// on zero-copy views, XNNPACK's sigmoid for the gates, and the cell's elementwise maths as compiled
// f32x4 loops (lstmSimd.ts), or JS loops where the module cannot be built.
//
// The maths is the op-by-op path's (lstmSequence.ts), to the bit: every operation rounds to
// float32 in the same order, and the sigmoid and tanh are the same XNNPACK sigmoid (tanh as
// 2σ(2x) − 1, as tanh.ts computes it), so a seeded training run gives the same losses either way.
// Where the op path's recurrent product goes to the compiled product with fused multiply-adds
// (fusedMultiplyAdd.ts; a batch a multiple of 4), its terms round once and XNNPACK's here twice:
// the same to the bit with the products unfused. The compiled product per time step was slower
// (its helper threads wake for every step's small product: charlstm 205-238 ms against 168-186).
//
// StudioLstmSequence: inputs projected [T, B, 4H] (x·W_ih + b_ih + b_hh, gate order i, f, g, o)
// and hiddenKernel [H, 4H]; outputs
//   out [B, T, H]      the hidden states, batch-major as the layer returns them
//   hPrev [T, B, H]    the hidden state before each step (zeros first)
//   cells [T+1, B, H]  the cell state before each step, and the last one
//   acts [T, B, 4H]    σ(i), σ(f), tanh(g), σ(o)
//   tanhC [T, B, H]    tanh of each step's new cell state
// StudioLstmSequenceGrad: inputs dy [B, T, H], acts, cells, tanhC and hiddenT [4H, H] (W_hhᵀ);
// output dGates [T, B, 4H], the gradient at the gates' pre-activations, from which the caller
// gets every weight and input gradient with a few big products.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { lstmOps } from './lstmSimd';
import { matMulRows } from './xnnOps';
import {
  allocF32,
  dispose,
  f32Offset,
  heapF32,
  idOf,
  registerView,
  releaseView,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

export const LSTM_SEQUENCE = 'StudioLstmSequence';
export const LSTM_SEQUENCE_GRAD = 'StudioLstmSequenceGrad';

const f = Math.fround;

function float32(name: string, inputs: Record<string, TensorInfo | undefined>): TensorInfo[] {
  return Object.entries(inputs).map(([key, t]) => {
    if (t === undefined) throw new Error(`${name} needs ${key}`);
    if (t.dtype !== 'float32') throw new Error(`${name} takes float32 tensors (${key})`);
    return t;
  });
}

/** σ in place over `size` floats at float index `start`, by XNNPACK (the stock Sigmoid's op). */
function sigmoidAt(backend: WasmBackend, start: number, size: number): void {
  const view = registerView(backend, start, size);
  backend.wasm._Sigmoid(view, view);
  releaseView(backend, view);
}

/** out [rows, n] = a [rows, k] · b, with a and out at float indices of the heap. */
function productAt(
  backend: WasmBackend,
  a: number,
  rows: number,
  k: number,
  bId: number,
  n: number,
  out: number,
): void {
  const aView = registerView(backend, a, rows * k);
  const outView = registerView(backend, out, rows * n);
  matMulRows(backend, aView, rows, k, bId, n, outView);
  releaseView(backend, outView);
  releaseView(backend, aView);
}

// ---- the cell's elementwise passes, as JS loops (the compiled ones in lstmSimd.ts match them) --

/** gates += projected; twoG = 2·g (for tanh g = 2σ(2g) − 1). Float indices. */
function gatesIn(
  heap: Float32Array,
  gates: number,
  proj: number,
  twoG: number,
  b: number,
  h: number,
) {
  for (let r = 0; r < b; r++) {
    const row = gates + r * 4 * h;
    const pRow = proj + r * 4 * h;
    for (let j = 0; j < 4 * h; j++)
      heap[row + j] = f((heap[pRow + j] as number) + (heap[row + j] as number));
    for (let j = 0; j < h; j++) heap[twoG + r * h + j] = 2 * (heap[row + 2 * h + j] as number);
  }
}

/** g = 2σ(2g) − 1 into the gates; c = σf·c_prev + σi·g; twoC = 2c. */
function cellIn(
  heap: Float32Array,
  gates: number,
  sigTwoG: number,
  cPrev: number,
  cOut: number,
  twoC: number,
  b: number,
  h: number,
) {
  for (let r = 0; r < b; r++) {
    const row = gates + r * 4 * h;
    for (let j = 0; j < h; j++) {
      const k = r * h + j;
      const g = f(2 * (heap[sigTwoG + k] as number) - 1);
      heap[row + 2 * h + j] = g;
      const i = heap[row + j] as number;
      const fg = heap[row + h + j] as number;
      const c = f(f(fg * (heap[cPrev + k] as number)) + f(i * g));
      heap[cOut + k] = c;
      heap[twoC + k] = 2 * c;
    }
  }
}

/** tanhC = 2σ(2c) − 1; h = σo·tanhC into hOut (when not −1) and into out [B, T, H] at step t. */
function hiddenOut(
  heap: Float32Array,
  gates: number,
  sigTwoC: number,
  tanhC: number,
  hOut: number,
  out: number,
  b: number,
  h: number,
  steps: number,
) {
  for (let r = 0; r < b; r++) {
    const row = gates + r * 4 * h;
    const outRow = out + r * steps * h;
    for (let j = 0; j < h; j++) {
      const k = r * h + j;
      const tc = f(2 * (heap[sigTwoC + k] as number) - 1);
      heap[tanhC + k] = tc;
      const hv = f((heap[row + 3 * h + j] as number) * tc);
      if (hOut >= 0) heap[hOut + k] = hv;
      heap[outRow + j] = hv;
    }
  }
}

const lstmSequence: KernelFunc = ({ inputs, backend }) => {
  const [projected, hiddenKernel] = float32(LSTM_SEQUENCE, {
    projected: inputs.projected,
    hiddenKernel: inputs.hiddenKernel,
  }) as [TensorInfo, TensorInfo];
  const [steps, batch, width] = projected.shape as [number, number, number];
  const hidden = hiddenKernel.shape[0] as number;
  if (projected.shape.length !== 3 || width !== 4 * hidden || hiddenKernel.shape[1] !== width) {
    throw new Error(
      `${LSTM_SEQUENCE}: projected [T, B, 4H] and hiddenKernel [H, 4H], got ${String(projected.shape)} and ${String(hiddenKernel.shape)}`,
    );
  }
  const wb = wasmBackendOf(backend);
  const [B, H, T] = [batch, hidden, steps];
  const out = allocF32(wb, [B, T, H]);
  const hPrev = allocF32(wb, [T, B, H]);
  const cells = allocF32(wb, [T + 1, B, H]);
  const acts = allocF32(wb, [T, B, 4 * H]);
  const tanhC = allocF32(wb, [T, B, H]);
  const scratch = allocF32(wb, [2, B, H]); // 2g, then 2c, each passed through σ in place
  const simd = lstmOps(wb, H);
  const [o, hp, cs, a, tc, s, p] = [out, hPrev, cells, acts, tanhC, scratch, projected].map((t) =>
    f32Offset(wb, t),
  ) as [number, number, number, number, number, number, number];
  const bh = B * H;
  if (bh > 0) heapF32(wb).fill(0, cs, cs + bh); // c before the first step
  if (bh > 0 && T > 0) heapF32(wb).fill(0, hp, hp + bh); // h before it (none for T = 0)
  const whh = idOf(wb, hiddenKernel);
  for (let t = 0; t < T && bh > 0; t++) {
    const gates = a + t * 4 * bh;
    productAt(wb, hp + t * bh, B, H, whh, 4 * H, gates); // h·W_hh
    const [twoG, twoC] = [s, s + bh];
    if (simd !== null) simd.gatesIn(4 * gates, 4 * (p + t * 4 * bh), 4 * twoG, B, H);
    else gatesIn(heapF32(wb), gates, p + t * 4 * bh, twoG, B, H);
    sigmoidAt(wb, gates, 4 * bh); // σ of all four; g's is replaced below
    sigmoidAt(wb, twoG, bh);
    const [cPrev, cOut] = [cs + t * bh, cs + (t + 1) * bh];
    if (simd !== null) simd.cellIn(4 * gates, 4 * twoG, 4 * cPrev, 4 * cOut, 4 * twoC, B, H);
    else cellIn(heapF32(wb), gates, twoG, cPrev, cOut, twoC, B, H);
    sigmoidAt(wb, twoC, bh);
    const hOut = t + 1 < T ? hp + (t + 1) * bh : -1;
    if (simd !== null) {
      const [hAt, write] = hOut < 0 ? [0, 0] : [4 * hOut, 1];
      simd.hiddenOut(4 * gates, 4 * twoC, 4 * (tc + t * bh), hAt, 4 * (o + t * H), B, H, T, write);
    } else {
      hiddenOut(heapF32(wb), gates, twoC, tc + t * bh, hOut, o + t * H, B, H, T);
    }
  }
  dispose(wb, scratch);
  return [out, hPrev, cells, acts, tanhC];
};

/**
 * One step back: dh = dy_t + dhNext; dc = dh·σo·(1 − tanhC²) + dcNext; dGates = [dc·g·σ′(i),
 * dc·c_prev·σ′(f), dc·σi·(1 − g²), dh·tanhC·σ′(o)]; dcNext = dc·σf. In the op path's order.
 */
function stepBack(
  heap: Float32Array,
  at: {
    dy: number;
    dhNext: number;
    dcNext: number;
    acts: number;
    cPrev: number;
    tanhC: number;
    dGates: number;
  },
  b: number,
  h: number,
  steps: number,
) {
  for (let r = 0; r < b; r++) {
    const row = at.acts + r * 4 * h;
    const dRow = at.dGates + r * 4 * h;
    const dyRow = at.dy + r * steps * h;
    for (let j = 0; j < h; j++) {
      const k = r * h + j;
      const i = heap[row + j] as number;
      const fg = heap[row + h + j] as number;
      const g = heap[row + 2 * h + j] as number;
      const og = heap[row + 3 * h + j] as number;
      const tcv = heap[at.tanhC + k] as number;
      const dh = f((heap[dyRow + j] as number) + (heap[at.dhNext + k] as number));
      const cellSlope = f(og * f(1 - f(tcv * tcv)));
      const dc = f(f(dh * cellSlope) + (heap[at.dcNext + k] as number));
      heap[dRow + j] = f(dc * f(g * f(i - f(i * i))));
      heap[dRow + h + j] = f(dc * f((heap[at.cPrev + k] as number) * f(fg - f(fg * fg))));
      heap[dRow + 2 * h + j] = f(dc * f(i * f(1 - f(g * g))));
      heap[dRow + 3 * h + j] = f(dh * f(tcv * f(og - f(og * og))));
      heap[at.dcNext + k] = f(dc * fg);
    }
  }
}

const lstmSequenceGrad: KernelFunc = ({ inputs, backend }) => {
  const [dy, acts, cells, tanhC, hiddenT] = float32(LSTM_SEQUENCE_GRAD, {
    dy: inputs.dy,
    acts: inputs.acts,
    cells: inputs.cells,
    tanhC: inputs.tanhC,
    hiddenT: inputs.hiddenT,
  }) as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const [B, T, H] = dy.shape as [number, number, number];
  const expect = (t: TensorInfo, shape: number[]) => t.shape.join() === shape.join();
  if (
    dy.shape.length !== 3 ||
    !expect(acts, [T, B, 4 * H]) ||
    !expect(cells, [T + 1, B, H]) ||
    !expect(tanhC, [T, B, H]) ||
    !expect(hiddenT, [4 * H, H])
  ) {
    throw new Error(`${LSTM_SEQUENCE_GRAD}: shapes do not fit dy [B, T, H] = ${String(dy.shape)}`);
  }
  const wb = wasmBackendOf(backend);
  const dGates = allocF32(wb, [T, B, 4 * H]);
  const carry = allocF32(wb, [2, B, H]); // dhNext, dcNext
  const simd = lstmOps(wb, H);
  const bh = B * H;
  const [d, c, dyAt, aAt, cAt, tcAt] = [dGates, carry, dy, acts, cells, tanhC].map((t) =>
    f32Offset(wb, t),
  ) as [number, number, number, number, number, number];
  if (bh > 0) heapF32(wb).fill(0, c, c + 2 * bh);
  const wT = idOf(wb, hiddenT);
  for (let t = T - 1; t >= 0 && bh > 0; t--) {
    const at = {
      dy: dyAt + t * H,
      dhNext: c,
      dcNext: c + bh,
      acts: aAt + t * 4 * bh,
      cPrev: cAt + t * bh,
      tanhC: tcAt + t * bh,
      dGates: d + t * 4 * bh,
    };
    if (simd !== null) {
      const { dy: y, dhNext: dh, dcNext: dc, acts: ac, cPrev: cp, tanhC: tch, dGates: dg } = at;
      simd.stepBack(4 * y, 4 * dh, 4 * dc, 4 * ac, 4 * cp, 4 * tch, 4 * dg, B, H, T);
    } else {
      stepBack(heapF32(wb), at, B, H, T);
    }
    if (t > 0) productAt(wb, at.dGates, B, 4 * H, wT, H, c); // dhNext = dGates·W_hhᵀ
  }
  dispose(wb, carry);
  return dGates;
};

export function lstmSequenceKernel(): KernelConfig {
  return { kernelName: LSTM_SEQUENCE, backendName: 'wasm', kernelFunc: lstmSequence };
}

export function lstmSequenceGradKernel(): KernelConfig {
  return { kernelName: LSTM_SEQUENCE_GRAD, backendName: 'wasm', kernelFunc: lstmSequenceGrad };
}
