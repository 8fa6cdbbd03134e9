// Strided copies and adds on the wasm backend's heap, compiled: a tiny WebAssembly module, built
// here byte by byte, that imports the backend's own memory. The convolution kernels' layout work
// (interleaving the sub-pixel phases of a transposed convolution, im2col and col2im with few
// channels) is rows of short runs at fixed strides; as JS typed-array loops it costs 1–3 ns a
// value, several milliseconds per dcgan step, and none of the compiled tfjs kernels moves data
// with a stride on the written side.
//
// The module has three functions over a two-level grid, all addresses and strides in bytes:
//   copyBlocks(dst, dstRow, dstCol, src, srcRow, srcCol, rows, cols, bytes): memory.copy per cell
//   copy32(dst, dstRow, dstCol, src, srcRow, srcCol, rows, cols): one 4-byte value per cell
//   add32(dst, dstRow, dstCol, src, srcRow, srcCol, rows, cols): dst += src, float32, per cell
// Callers fall back to their JS loops when `stridedOps` returns null (no memory object to import).

import { functionType, heapModule, type HeapModuleSpec, vector } from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface StridedOps {
  copyBlocks(
    dst: number,
    dstRow: number,
    dstCol: number,
    src: number,
    srcRow: number,
    srcCol: number,
    rows: number,
    cols: number,
    bytes: number,
  ): void;
  copy32(
    dst: number,
    dstRow: number,
    dstCol: number,
    src: number,
    srcRow: number,
    srcCol: number,
    rows: number,
    cols: number,
  ): void;
  add32(
    dst: number,
    dstRow: number,
    dstCol: number,
    src: number,
    srcRow: number,
    srcCol: number,
    rows: number,
    cols: number,
  ): void;
}

const I32 = 0x7f;
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  const0: [0x41, 0x00],
  const1: [0x41, 0x01],
  add: 0x6a,
  mul: 0x6c,
  geU: 0x4f,
  i32Load: [0x28, 0x02, 0x00],
  i32Store: [0x36, 0x02, 0x00],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  f32Add: 0x92,
  memoryCopy: [0xfc, 0x0a, 0x00, 0x00],
} as const;

/**
 * The shared loop nest: params 0–7 are dst, dstRow, dstCol, src, srcRow, srcCol, rows, cols; locals
 * r, c, d, s follow the params (first local index `l`); `cell` is the body for one cell, which
 * reads d and s.
 */
function gridBody(l: number, cell: number[]): number[] {
  const [R, C, D, S] = [l, l + 1, l + 2, l + 3];
  const addTo = (local: number, strideParam: number) => [
    op.get,
    local,
    op.get,
    strideParam,
    op.add,
    op.set,
    local,
  ];
  const code = [
    ...op.const0,
    op.set,
    R,
    ...op.block,
    ...op.loop,
    // if (r >= rows) break
    op.get,
    R,
    op.get,
    6,
    op.geU,
    op.brIf,
    1,
    // d = dst + r·dstRow; s = src + r·srcRow; c = 0
    op.get,
    0,
    op.get,
    R,
    op.get,
    1,
    op.mul,
    op.add,
    op.set,
    D,
    op.get,
    3,
    op.get,
    R,
    op.get,
    4,
    op.mul,
    op.add,
    op.set,
    S,
    ...op.const0,
    op.set,
    C,
    ...op.block,
    ...op.loop,
    op.get,
    C,
    op.get,
    7,
    op.geU,
    op.brIf,
    1,
    ...cell,
    ...addTo(D, 2),
    ...addTo(S, 5),
    op.get,
    C,
    ...op.const1,
    op.add,
    op.set,
    C,
    op.br,
    0,
    op.end,
    op.end,
    op.get,
    R,
    ...op.const1,
    op.add,
    op.set,
    R,
    op.br,
    0,
    op.end,
    op.end,
    op.end,
  ];
  const locals = vector([[4, I32]]);
  return [...locals, ...code];
}

const D = 11; // locals of the 8-parameter functions: r 8, c 9, d 10, s 11
const params8 = Array<number>(8).fill(I32);

/** The module's spec, also instantiated by the helper threads (team.ts). */
export const STRIDED_MODULE: HeapModuleSpec = {
  types: [functionType([...params8, I32]), functionType(params8)],
  functions: [
    {
      type: 0,
      name: 'copyBlocks',
      body: gridBody(9, [op.get, 11, op.get, 12, op.get, 8, ...op.memoryCopy]),
    },
    {
      type: 1,
      name: 'copy32',
      body: gridBody(8, [op.get, D - 1, op.get, D, ...op.i32Load, ...op.i32Store]),
    },
    {
      type: 1,
      name: 'add32',
      body: gridBody(8, [
        op.get,
        D - 1,
        op.get,
        D - 1,
        ...op.f32Load,
        op.get,
        D,
        ...op.f32Load,
        op.f32Add,
        ...op.f32Store,
      ]),
    },
  ],
};

const module = heapModule<StridedOps>(STRIDED_MODULE);

/** Tests turn the compiled path off to check the JS loops the kernels fall back to. */
export function setStridedOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled strided operations on `backend`'s heap, or null where they cannot be set up. */
export function stridedOps(backend: WasmBackend): StridedOps | null {
  return module.on(backend);
}
