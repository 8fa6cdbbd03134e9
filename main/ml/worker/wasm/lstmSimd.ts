// The LSTM kernels' elementwise passes (lstmCell.ts) as compiled f32x4 loops over the wasm
// backend's heap, four hidden units at a time; the same operations in the same order as the JS
// loops there, so the same bits (f32x4 add/sub/mul round as float32, as Math.fround does).
// All addresses are in bytes; rows of [B, 4H] gates are 16H bytes, rows of [B, H] tensors 4H,
// rows of the batch-major [B, T, H] out / dy tensors 4TH. Needs H % 4 = 0 (lstmOps returns null
// to the caller otherwise, which then runs the JS loops).
//
//   gatesIn(gates, proj, twoG, B, H)            gates += proj; twoG = 2·g
//   cellIn(gates, sigTwoG, cPrev, cOut, twoC, B, H)   g = 2σ − 1; c = f·c_prev + i·g; twoC = 2c
//   hiddenOut(gates, sigTwoC, tanhC, hOut, out, B, H, T, writeH)   tanhC = 2σ − 1; h = o·tanhC
//   stepBack(dy, dhNext, dcNext, acts, cPrev, tanhC, dGates, B, H, T)   one step of the BPTT

import {
  countedLoop,
  f32x4Add,
  f32x4Mul,
  f32x4Splat,
  f32x4Sub,
  functionType,
  get,
  heapModule,
  I32,
  i32Add,
  i32Const,
  i32Mul,
  set,
  V128,
  v128Load,
  v128Store,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface LstmOps {
  gatesIn(gates: number, proj: number, twoG: number, b: number, h: number): void;
  cellIn(
    gates: number,
    sigTwoG: number,
    cPrev: number,
    cOut: number,
    twoC: number,
    b: number,
    h: number,
  ): void;
  hiddenOut(
    gates: number,
    sigTwoC: number,
    tanhC: number,
    hOut: number,
    out: number,
    b: number,
    h: number,
    t: number,
    writeH: number,
  ): void;
  stepBack(
    dy: number,
    dhNext: number,
    dcNext: number,
    acts: number,
    cPrev: number,
    tanhC: number,
    dGates: number,
    b: number,
    h: number,
    t: number,
  ): void;
}

const f32x4 = {
  load: v128Load,
  store: v128Store,
  splat: f32x4Splat,
  add: f32x4Add,
  sub: f32x4Sub,
  mul: f32x4Mul,
};
/** A float32 constant splat to f32x4. */
function splatConst(value: number): number[] {
  const bytes = new Uint8Array(new Float32Array([value]).buffer);
  return [0x43, ...bytes, ...f32x4.splat];
}

/** The address Σ locals (bytes), as an i32 on the stack. */
function addr(...locals: number[]): number[] {
  return locals.flatMap((l, i) => (i === 0 ? get(l) : [...get(l), ...i32Add]));
}
const load = (...locals: number[]) => [...addr(...locals), ...f32x4.load];
/** Stores the v128 `value` code at Σ locals. */
const store = (value: number[], ...locals: number[]) => [
  ...addr(...locals),
  ...value,
  ...f32x4.store,
];

/**
 * for (r = 0; r < B; r++) for (j = 0; j < width; j += 16) body, with row offsets advanced per r
 * by each of `rows` ([local, stride local]) and `j` the byte offset in the row.
 */
function rowsLoop(
  loc: { r: number; j: number; b: number; width: number },
  rows: [number, number][],
  body: number[],
): number[] {
  return [
    ...rows.flatMap(([row]) => [...i32Const(0), ...set(row)]),
    ...countedLoop(loc.r, loc.b, 1, [
      ...countedLoop(loc.j, loc.width, 16, body),
      ...rows.flatMap(([row, stride]) => [...get(row), ...get(stride), ...i32Add, ...set(row)]),
    ]),
  ];
}

/** Locals `first`… set to H·4·k bytes (k = 1, 2, 3, 4) from the param `h`. */
function strides(h: number, first: number): number[] {
  return [1, 2, 3, 4].flatMap((k, i) => [
    ...get(h),
    ...i32Const(4 * k),
    ...i32Mul,
    ...set(first + i),
  ]);
}

function gatesInBody(): number[] {
  const [G, P, TG, B, H] = [0, 1, 2, 3, 4];
  const [H4, , , H16, R, J, RG, RK] = [5, 6, 7, 8, 9, 10, 11, 12];
  const locals = vector([[8, I32]]);
  const loc = (width: number) => ({ r: R, j: J, b: B, width });
  return [
    ...locals,
    ...strides(H, H4),
    // gates[row] = proj[row] + gates[row] over the whole 4H row
    ...rowsLoop(
      loc(H16),
      [[RG, H16]],
      store([...load(P, RG, J), ...load(G, RG, J), ...f32x4.add], G, RG, J),
    ),
    // twoG[r] = 2·gates[row + 2H]
    ...[...get(G), ...get(H4), ...get(H4), ...i32Add, ...i32Add, ...set(G)], // G now points at g
    ...rowsLoop(
      loc(H4),
      [
        [RG, H16],
        [RK, H4],
      ],
      store([...splatConst(2), ...load(G, RG, J), ...f32x4.mul], TG, RK, J),
    ),
    0x0b,
  ];
}

function cellInBody(): number[] {
  const [G, S, CP, CO, TC, B, H] = [0, 1, 2, 3, 4, 5, 6];
  const [H4, H8, , H16, R, J, RG, RK, GV, CV] = [7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
  const [GF, GG] = [17, 18]; // i32: gates + H4 (f), gates + H8 (g)
  const body = [
    // g = 2σ(2g) − 1, into the gates
    ...[
      ...splatConst(2),
      ...load(S, RK, J),
      ...f32x4.mul,
      ...splatConst(1),
      ...f32x4.sub,
      ...set(GV),
    ],
    ...store(get(GV), GG, RG, J),
    // c = f·c_prev + i·g
    ...[...load(GF, RG, J), ...load(CP, RK, J), ...f32x4.mul],
    ...[...load(G, RG, J), ...get(GV), ...f32x4.mul, ...f32x4.add, ...set(CV)],
    ...store(get(CV), CO, RK, J),
    ...store([...splatConst(2), ...get(CV), ...f32x4.mul], TC, RK, J),
  ];
  return [
    ...vector([
      [8, I32],
      [2, V128],
      [2, I32],
    ]),
    ...strides(H, H4),
    ...[...get(G), ...get(H4), ...i32Add, ...set(GF)],
    ...[...get(G), ...get(H8), ...i32Add, ...set(GG)],
    ...rowsLoop(
      { r: R, j: J, b: B, width: H4 },
      [
        [RG, H16],
        [RK, H4],
      ],
      body,
    ),
    0x0b,
  ];
}

function hiddenOutBody(): number[] {
  const [G, S, TCO, HO, O, B, H, T, WRITE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [H4, , , H16, R, J, RG, RK, RO, TH4, GO] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const [TV, HV] = [20, 21];
  const body = [
    ...[
      ...splatConst(2),
      ...load(S, RK, J),
      ...f32x4.mul,
      ...splatConst(1),
      ...f32x4.sub,
      ...set(TV),
    ],
    ...store(get(TV), TCO, RK, J),
    ...[...load(GO, RG, J), ...get(TV), ...f32x4.mul, ...set(HV)],
    ...[...get(WRITE), 0x04, 0x40, ...store(get(HV), HO, RK, J), 0x0b], // if (writeH) store h
    ...store(get(HV), O, RO, J),
  ];
  return [
    ...vector([
      [11, I32],
      [2, V128],
    ]),
    ...strides(H, H4),
    ...[...get(T), ...get(H4), ...i32Mul, ...set(TH4)],
    ...[...get(G), ...get(H4), ...get(H4), ...get(H4), ...i32Add, ...i32Add, ...i32Add, ...set(GO)],
    ...rowsLoop(
      { r: R, j: J, b: B, width: H4 },
      [
        [RG, H16],
        [RK, H4],
        [RO, TH4],
      ],
      body,
    ),
    0x0b,
  ];
}

function stepBackBody(): number[] {
  const [DY, DH, DC, A, CP, TC, D, B, H, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [H4, H8, H12, H16, R, J, RG, RK, RO, TH4] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
  const [AF, AG, AO, DF, DG, DO] = [20, 21, 22, 23, 24, 25]; // i32: gate bases in acts, dGates
  const [IV, FV, GV, OV, TV, DHV, DCV] = [26, 27, 28, 29, 30, 31, 32];
  const one = splatConst(1);
  const sigSlope = (v: number) => [...get(v), ...get(v), ...get(v), ...f32x4.mul, ...f32x4.sub]; // v − v²
  const tanhSlope = (v: number) => [...one, ...get(v), ...get(v), ...f32x4.mul, ...f32x4.sub]; // 1 − v²
  const body = [
    ...[...load(A, RG, J), ...set(IV), ...load(AF, RG, J), ...set(FV)],
    ...[
      ...load(AG, RG, J),
      ...set(GV),
      ...load(AO, RG, J),
      ...set(OV),
      ...load(TC, RK, J),
      ...set(TV),
    ],
    ...[...load(DY, RO, J), ...load(DH, RK, J), ...f32x4.add, ...set(DHV)], // dh = dy + dhNext
    // dc = dh·(o·(1 − tanhC²)) + dcNext
    ...[...get(DHV), ...get(OV), ...tanhSlope(TV), ...f32x4.mul, ...f32x4.mul],
    ...[...load(DC, RK, J), ...f32x4.add, ...set(DCV)],
    ...store([...get(DCV), ...get(GV), ...sigSlope(IV), ...f32x4.mul, ...f32x4.mul], D, RG, J),
    ...store(
      [...get(DCV), ...load(CP, RK, J), ...sigSlope(FV), ...f32x4.mul, ...f32x4.mul],
      DF,
      RG,
      J,
    ),
    ...store([...get(DCV), ...get(IV), ...tanhSlope(GV), ...f32x4.mul, ...f32x4.mul], DG, RG, J),
    ...store([...get(DHV), ...get(TV), ...sigSlope(OV), ...f32x4.mul, ...f32x4.mul], DO, RG, J),
    ...store([...get(DCV), ...get(FV), ...f32x4.mul], DC, RK, J), // dcNext = dc·f
  ];
  const offsetBy = (base: number, by: number, to: number) => [
    ...get(base),
    ...get(by),
    ...i32Add,
    ...set(to),
  ];
  return [
    ...vector([
      [16, I32],
      [7, V128],
    ]),
    ...strides(H, H4),
    ...[...get(T), ...get(H4), ...i32Mul, ...set(TH4)],
    ...offsetBy(A, H4, AF),
    ...offsetBy(A, H8, AG),
    ...offsetBy(A, H12, AO),
    ...offsetBy(D, H4, DF),
    ...offsetBy(D, H8, DG),
    ...offsetBy(D, H12, DO),
    ...rowsLoop(
      { r: R, j: J, b: B, width: H4 },
      [
        [RG, H16],
        [RK, H4],
        [RO, TH4],
      ],
      body,
    ),
    0x0b,
  ];
}

const module = heapModule<LstmOps>({
  types: [
    functionType(Array<number>(5).fill(I32)),
    functionType(Array<number>(7).fill(I32)),
    functionType(Array<number>(9).fill(I32)),
    functionType(Array<number>(10).fill(I32)),
  ],
  functions: [
    { type: 0, name: 'gatesIn', body: gatesInBody() },
    { type: 1, name: 'cellIn', body: cellInBody() },
    { type: 2, name: 'hiddenOut', body: hiddenOutBody() },
    { type: 3, name: 'stepBack', body: stepBackBody() },
  ],
});

/** Tests turn the compiled loops off to check the JS loops the kernels fall back to. */
export function setLstmOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled loops on `backend`'s heap for hidden width `h`, or null (use the JS loops). */
export function lstmOps(backend: WasmBackend, h: number): LstmOps | null {
  return h % 4 === 0 ? module.on(backend) : null;
}
