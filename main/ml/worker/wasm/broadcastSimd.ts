// A row vector applied to every row of a matrix, as compiled f32x4 loops on the wasm backend's
// heap: the per-channel bias and batch-norm terms, x [..., C] op v [C].
//
// The stock Add/Sub/Multiply go through XNNPACK's broadcasting operator, which calls its
// micro-kernel once per row: for dcgan's [64, 14, 14, 32] + [32] that is 12,544 calls of 32 values,
// ≈ 0.27 ms a call on one thread where the same-shape product of those tensors takes 0.06 ms
// (and slower on two threads, where pthreadpool hands out those rows one at a time). Each output
// is one float32 add, subtract or multiply of the same two values, so the bits are XNNPACK's.
//
//   addRows(x, v, out, rows, rowBytes)      out[r, j] = x[r, j] + v[j]
//   subRows(x, v, out, rows, rowBytes)      out[r, j] = x[r, j] − v[j]
//   subFromRows(x, v, out, rows, rowBytes)  out[r, j] = v[j] − x[r, j]
//   mulRows(x, v, out, rows, rowBytes)      out[r, j] = x[r, j] · v[j]
//   preluRows(x, v, out, rows, rowBytes)    out[r, j] = x[r, j] · v[j] where x < 0, else x[r, j],
//                                           in XNNPACK's PReLU form (below), to the bit
//   squareRows(x, v, out, rows, rowBytes)   out[r, j] = x[r, j] · x[r, j] (v unused)
//   leakyGradRows(x, v, out, rows, rowBytes, alpha)
//                                           out[r, j] = (x[r, j] > 0 ? 1 : alpha) · v[j]
//                                           (LeakyReLU's gradient with v = dy stepped alongside x)
// byte addresses, rowBytes a multiple of 16 (the caller checks). out may be x. With rows 1 and v
// stepped alongside x, the same functions are elementwise over two tensors of one shape.

import {
  F32,
  f32x4Add as fAdd,
  f32x4Mul as fMul,
  f32x4Splat as splat,
  f32x4Sub as fSub,
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  I32,
  i32Add,
  i32Const,
  set,
  simd,
  v128Load as load,
  v128Store as store,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export const BROADCAST_FUNCTIONS = [
  'addRows',
  'subRows',
  'subFromRows',
  'mulRows',
  'preluRows',
  'squareRows',
  'leakyGradRows',
] as const;
export type BroadcastFunction = (typeof BROADCAST_FUNCTIONS)[number];

type RowsFunction = (
  x: number,
  v: number,
  out: number,
  rows: number,
  rowBytes: number,
  alpha?: number,
) => void;
export type BroadcastOps = Record<BroadcastFunction, RowsFunction>;

const geU = [0x4f];
const [iMin, iMax] = [simd(0xb6), simd(0xb8)]; // i32x4.min_s / max_s, on the float bits
const zero = simd(0x0c, ...Array<number>(16).fill(0));
const fGt = simd(0x44);
const bitselect = simd(0x52);
/** f32.const 1.0, splat */
const ones = [0x43, 0x00, 0x00, 0x80, 0x3f, ...splat];
const ALPHA = 5; // the f32 parameter

/** One vector of the result, from the loaders of x's and v's vectors at the current offset. */
function cell(fn: BroadcastFunction, x: number[], v: number[]): number[] {
  switch (fn) {
    case 'addRows':
      return [...x, ...v, ...fAdd];
    case 'subRows':
      return [...x, ...v, ...fSub];
    case 'subFromRows':
      return [...v, ...x, ...fSub];
    case 'mulRows':
      return [...x, ...v, ...fMul];
    case 'preluRows':
      // XNNPACK's own form: max(x, 0) + min(x, 0)·v with the max and min on the bits as signed
      // integers (so −0 gives +0 and a negative product that underflows gives +0, as there).
      return [...x, ...zero, ...iMax, ...x, ...zero, ...iMin, ...v, ...fMul, ...fAdd];
    case 'squareRows':
      return [...x, ...x, ...fMul];
    case 'leakyGradRows':
      // The Step kernel's x > 0 ? 1 : α, then times dy, as tfjs's two kernels did.
      return [...ones, ...get(ALPHA), ...splat, ...x, ...zero, ...fGt, ...bitselect, ...v, ...fMul];
  }
}

/** block { loop { if (counter >= limit) break; body; continue } } */
function whileBelow(counter: number, limit: number, body: number[]): number[] {
  return [
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(counter), ...get(limit), ...geU, 0x0d, 0x01],
    ...body,
    ...[0x0c, 0x00, 0x0b, 0x0b],
  ];
}

function rowsBody(fn: BroadcastFunction): number[] {
  const [X, V, OUT, ROWS, ROW_BYTES] = [0, 1, 2, 3, 4]; // then ALPHA (5)
  const [R, O, XP, OP] = [6, 7, 8, 9];
  const locals = vector([[4, I32]]);
  const at = (base: number) => [...get(base), ...get(O), ...i32Add, ...load];
  const inner = [
    ...[...get(OP), ...get(O), ...i32Add],
    ...cell(fn, at(XP), at(V)),
    ...store,
    ...[...get(O), ...i32Const(16), ...i32Add, ...set(O)],
  ];
  const row = [
    ...[...i32Const(0), ...set(O)],
    ...whileBelow(O, ROW_BYTES, inner),
    ...[...get(XP), ...get(ROW_BYTES), ...i32Add, ...set(XP)],
    ...[...get(OP), ...get(ROW_BYTES), ...i32Add, ...set(OP)],
    ...[...get(R), ...i32Const(1), ...i32Add, ...set(R)],
  ];
  const setup = [
    ...[...i32Const(0), ...set(R)],
    ...[...get(X), ...set(XP)],
    ...[...get(OUT), ...set(OP)],
  ];
  return [...locals, ...setup, ...whileBelow(R, ROWS, row), 0x0b];
}

/** The module's spec, also instantiated by the helper threads (team.ts). */
export const BROADCAST_MODULE: HeapModuleSpec = {
  types: [functionType([...Array<number>(5).fill(I32), F32])],
  functions: BROADCAST_FUNCTIONS.map((name) => ({ type: 0, name, body: rowsBody(name) })),
};

const module = heapModule<BroadcastOps>(BROADCAST_MODULE);

/** Tests and A/B timing turn the compiled loops off (the kernels then take the stock path). */
export function setBroadcastOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled row loops on `backend`'s heap, or null where they cannot be set up. */
export function broadcastOps(backend: WasmBackend): BroadcastOps | null {
  return module.on(backend);
}
