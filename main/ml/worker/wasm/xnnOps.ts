// Raw calls into the wasm backend's compiled XNNPACK paths, by tensor id, for the studio kernels.
//
// The heavy arithmetic goes through these, called the way tfjs's own wrappers do not arrange:
// - `_FusedMatMul` takes XNNPACK's fully-connected operator (20–40 GFLOP/s per thread) only for a
//   single [M, K] · [K, N] product with neither side transposed; any transpose flag or batch > 1
//   drops to a scalar triple loop (1–4 GFLOP/s). `matMulRows` always calls it the fast way.
// - `_FusedConv2D` is XNNPACK's NHWC convolution with explicit padding and dilation.
// - `_Multiply` / `_Add` are XNNPACK's broadcasting elementwise operators (`binaryInto`).
// The layout changes around them are in transpose.ts and slicing.ts.

import type { TensorInfo } from '@tensorflow/tfjs';
import { allocF32, f32Offset, heapF32, scratchInts, type WasmBackend } from './wasmHeap';

/** tfjs-backend-wasm's FusableActivation enum (cc/fusable_activations.h). */
export const Activation = { linear: 0, relu: 1 } as const;
export type ActivationCode = (typeof Activation)[keyof typeof Activation];

/**
 * out [rows, n] = a [rows, k] · b [k, n] (+ bias [n], then activation), XNNPACK fully connected.
 * XNNPACK packs `b` into an operator cached on b's id until that id is disposed, so `b` should be
 * the operand that is reused or the smaller one.
 */
export function matMulRows(
  backend: WasmBackend,
  aId: number,
  rows: number,
  k: number,
  bId: number,
  n: number,
  outId: number,
  biasId = 0,
  activation: ActivationCode = Activation.linear,
): void {
  if (rows === 0 || n === 0) return;
  const aShape = scratchInts(backend, 0, [1, rows, k]);
  const bShape = scratchInts(backend, 1, [1, k, n]);
  backend.wasm.__FusedMatMul(aId, aShape, 3, bId, bShape, 3, 0, 0, activation, biasId, 0, 0, outId);
}

export interface ConvCall {
  xId: number;
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  /** Filter [filterHeight, filterWidth, inChannels, outChannels]. */
  filterId: number;
  filterHeight: number;
  filterWidth: number;
  outChannels: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  strideHeight: number;
  strideWidth: number;
  dilationHeight: number;
  dilationWidth: number;
  outId: number;
  biasId?: number;
  activation?: ActivationCode;
}

/** NHWC convolution with explicit (non-negative) padding through XNNPACK. */
export function conv2dInto(backend: WasmBackend, c: ConvCall): void {
  if (Math.min(c.padTop, c.padBottom, c.padLeft, c.padRight) < 0) {
    throw new Error('conv2dInto: XNNPACK takes no negative padding');
  }
  backend.wasm._FusedConv2D(
    c.xId,
    c.batch,
    c.inHeight,
    c.inWidth,
    c.filterId,
    c.filterHeight,
    c.filterWidth,
    c.biasId ?? 0,
    c.padTop,
    c.padRight,
    c.padBottom,
    c.padLeft,
    0, // not tfjs 'same': the pads above are used as given
    c.dilationHeight,
    c.dilationWidth,
    c.strideHeight,
    c.strideWidth,
    c.inChannels,
    c.outChannels,
    c.activation ?? Activation.linear,
    0,
    0,
    c.outId,
  );
}

export type BinaryOp = '_Multiply' | '_Add';

/**
 * out = a ∘ b through XNNPACK's broadcasting elementwise operators (vectorised: ≈ 5× a JS loop).
 * In place (out = a) is fine: each element is read before it is written.
 */
export function binaryInto(
  backend: WasmBackend,
  op: BinaryOp,
  aId: number,
  aShape: readonly number[],
  bId: number,
  bShape: readonly number[],
  outId: number,
): void {
  const aPtr = scratchInts(backend, 2, aShape);
  const bPtr = scratchInts(backend, 3, bShape);
  backend.wasm[op](aId, aPtr, aShape.length, bId, bPtr, bShape.length, 0, outId);
}

const scalars = new WeakMap<WasmBackend, Map<number, TensorInfo>>();

/** A [1] float32 tensor holding `value`, made once per backend and kept (a few bytes each). */
export function scalarTensor(backend: WasmBackend, value: number): TensorInfo {
  let byValue = scalars.get(backend);
  if (byValue === undefined) {
    byValue = new Map();
    scalars.set(backend, byValue);
  }
  let scalar = byValue.get(value);
  if (scalar === undefined) {
    scalar = allocF32(backend, [1]);
    heapF32(backend)[f32Offset(backend, scalar)] = value;
    byValue.set(value, scalar);
  }
  return scalar;
}
