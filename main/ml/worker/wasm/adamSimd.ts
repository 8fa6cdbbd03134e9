// The Adam update and the sum of squares as compiled SIMD loops over the wasm backend's heap: a
// two-function WebAssembly module, built here byte by byte, that imports the backend's memory.
// As JS loops they cost ≈ 7 ns a value (a double-precision divide and square root each, with a
// float32 rounding after every operation), ≈ 6 ms of a char-GPT step; f32x4 does four values in
// the time of one and rounds as float32 by itself.
//
//   update(p, m, v, g, pOut, mOut, vOut, bytes, scale, β1, β2, 1−β1, 1−β2, ε, decay, c2, stepSize)
//     over `bytes` (a multiple of 16) from each address, the update of adamUpdate.ts, in its order
//   sumSquares(x, bytes) → Σ x² (each square in float32, summed in float64)
// Callers fall back to JS loops when `adamOps` returns null (no memory to import, or no SIMD).

import {
  countedLoop,
  F32,
  f32x4Add,
  f32x4Mul,
  f32x4Splat,
  f32x4Sub,
  F64,
  functionType,
  get,
  heapModule,
  I32,
  i32Add,
  set,
  simd,
  V128,
  v128Load,
  v128Store,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface AdamOps {
  /** The 17 arguments of the header's `update`: byte addresses, then bytes, then constants. */
  update(...args: number[]): void;
  sumSquares(x: number, bytes: number): number;
}

const op = {
  i32Add,
  i32GeU: [0x4f],
  f64Add: [0xa0],
  load: v128Load,
  store: v128Store,
  splat: f32x4Splat,
  shuffleHigh: simd(0x0d, ...[8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]),
  promoteLow: simd(0x5f),
  lane: (i: number) => simd(0x21, i),
  sqrt: simd(0xe3),
  add: f32x4Add,
  sub: f32x4Sub,
  mul: f32x4Mul,
  div: simd(0xe7),
  f64x2Add: simd(0xf0),
};

/** Loads the vector at byte address local `base` + local `offset`. */
const loadAt = (base: number, offset: number) => [
  ...get(base),
  ...get(offset),
  ...op.i32Add,
  ...op.load,
];

function updateBody(): number[] {
  // Params 0–6 addresses, 7 bytes, 8–16 the float32 constants; then locals.
  const [P, M, V, G, PO, MO, VO, BYTES] = [0, 1, 2, 3, 4, 5, 6, 7];
  // v128 locals 17–25: the 9 constants splat, in parameter order.
  const splatted = (k: number) => 17 + k;
  const [SCALE, B1, B2, OB1, OB2, EPS, DECAY, C2, STEP] = [17, 18, 19, 20, 21, 22, 23, 24, 25];
  const [GV, MV, VV] = [26, 27, 28]; // v128 locals: g, m, v of one vector
  const O = 29; // i32 local: the byte offset
  const locals = vector([
    [12, V128],
    [1, I32],
  ]);
  const setup = [0, 1, 2, 3, 4, 5, 6, 7, 8].flatMap((k) => [
    ...get(8 + k),
    ...op.splat,
    ...set(splatted(k)),
  ]);
  const cell = [
    // g = grad·scale
    ...loadAt(G, O),
    ...get(SCALE),
    ...op.mul,
    ...set(GV),
    // m = β1·m + (1−β1)·g
    ...loadAt(M, O),
    ...get(B1),
    ...op.mul,
    ...get(GV),
    ...get(OB1),
    ...op.mul,
    ...op.add,
    ...set(MV),
    // v = β2·v + (g·g)·(1−β2)
    ...loadAt(V, O),
    ...get(B2),
    ...op.mul,
    ...get(GV),
    ...get(GV),
    ...op.mul,
    ...get(OB2),
    ...op.mul,
    ...op.add,
    ...set(VV),
    ...[...get(MO), ...get(O), ...op.i32Add, ...get(MV), ...op.store],
    ...[...get(VO), ...get(O), ...op.i32Add, ...get(VV), ...op.store],
    // p = p·decay − (m / (√v / c2 + ε))·stepSize
    ...[...get(PO), ...get(O), ...op.i32Add],
    ...loadAt(P, O),
    ...get(DECAY),
    ...op.mul,
    ...get(MV),
    ...get(VV),
    ...op.sqrt,
    ...get(C2),
    ...op.div,
    ...get(EPS),
    ...op.add,
    ...op.div,
    ...get(STEP),
    ...op.mul,
    ...op.sub,
    ...op.store,
  ];
  return [...locals, ...setup, ...countedLoop(O, BYTES, 16, cell), 0x0b];
}

function sumSquaresBody(): number[] {
  const [X, BYTES, SQ, LOW, HIGH, O] = [0, 1, 2, 3, 4, 5];
  const locals = vector([
    [3, V128],
    [1, I32],
  ]);
  const cell = [
    ...loadAt(X, O),
    ...set(SQ),
    ...[...get(SQ), ...get(SQ), ...op.mul, ...set(SQ)],
    ...[...get(LOW), ...get(SQ), ...op.promoteLow, ...op.f64x2Add, ...set(LOW)],
    ...[...get(HIGH), ...get(SQ), ...get(SQ), ...op.shuffleHigh, ...op.promoteLow],
    ...[...op.f64x2Add, ...set(HIGH)],
  ];
  const total = [
    ...[...get(LOW), ...op.lane(0), ...get(LOW), ...op.lane(1), ...op.f64Add],
    ...[...get(HIGH), ...op.lane(0), ...op.f64Add, ...get(HIGH), ...op.lane(1), ...op.f64Add],
  ];
  return [...locals, ...countedLoop(O, BYTES, 16, cell), ...total, 0x0b];
}

const module = heapModule<AdamOps>({
  types: [
    functionType([...Array<number>(8).fill(I32), ...Array<number>(9).fill(F32)]),
    functionType([I32, I32], [F64]),
  ],
  functions: [
    { type: 0, name: 'update', body: updateBody() },
    { type: 1, name: 'sumSquares', body: sumSquaresBody() },
  ],
});

/** Tests turn the compiled loops off to check the JS loops the kernels fall back to. */
export function setAdamOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled loops on `backend`'s heap, or null where they cannot be set up. */
export function adamOps(backend: WasmBackend): AdamOps | null {
  return module.on(backend);
}
