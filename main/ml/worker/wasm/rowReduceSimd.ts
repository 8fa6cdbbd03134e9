// Compiled passes over rows whose results hang on a sum along the row, run sequentially from its
// first column as the stock Mean and Sum kernels sum, so that they give the op path's bits: the
// layer norm kernels (layerNorm.ts) and the softmax gradient (softmaxGrad.ts). On the wasm
// backend's heap and instantiated by the helper threads too (team.ts). Byte addresses; a row is
// `rowBytes` bytes, a multiple of 16. A row's sum is one chain of dependent adds, so the code runs
// four rows side by side to keep four chains in flight; the element-wise passes run four columns
// at a time.
//   lnForward(x, gain, bias, y, xhat, rstd, rows, rowBytes, width, epsilon)
//   lnBackward(dy, xhat, rstd, gain, dx, prod, rows, rowBytes, width)
//   softmaxBackward(dy, y, dx, rows, rowBytes): dx = y·(dy − Σ dy·y) per row

import {
  F32,
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  I32,
  i32Add as add,
  i32Const,
  i32Mul as mul,
  memarg,
  set,
  simd,
  V128,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

const fLoad = [0x2a, ...memarg];
const fStore = [0x38, ...memarg];
const [fAdd, fSub, fMul, fDiv, fSqrt] = [[0x92], [0x93], [0x94], [0x95], [0x91]];
const fOne = [0x43, 0x00, 0x00, 0x80, 0x3f];
const vLoad = simd(0x00, ...memarg);
const vStore = simd(0x0b, ...memarg);
const [vSplat, vSub, vMul, vAdd] = [simd(0x13), simd(0xe5), simd(0xe6), simd(0xe4)];
const geU = [0x4f];
const ltU = [0x49];

/** for (o = 0; o < limit; o += step) body */
function forBytes(o: number, limit: number, step: number, body: number[]): number[] {
  return [
    ...[...i32Const(0), ...set(o)],
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(o), ...get(limit), ...geU, 0x0d, 0x01],
    ...body,
    ...[...get(o), ...i32Const(step), ...add, ...set(o)],
    ...[0x0c, 0x00, 0x0b, 0x0b],
  ];
}

/** while (r + n <= rows) { body; r += n } */
function whileRowsLeft(r: number, rows: number, n: number, body: number[]): number[] {
  return [
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(rows), ...get(r), ...i32Const(n), ...add, ...ltU, 0x0d, 0x01],
    ...body,
    ...[...get(r), ...i32Const(n), ...add, ...set(r)],
    ...[0x0c, 0x00, 0x0b, 0x0b],
  ];
}

/** Consecutive local indices from `next`: `take(n)` reserves n and returns index i of them. */
function localsFrom(next: number): (n: number) => (i: number) => number {
  return (n) => {
    const first = next;
    next += n;
    return (i) => first + i;
  };
}

/** The rstd of row r + k: byte address rstd + (r + k)·4. */
const rstdAt = (rstd: number, r: number, k: number) => [
  ...[...get(rstd), ...get(r), ...i32Const(k), ...add, ...i32Const(4), ...mul, ...add],
];

/**
 * lnForward(x, gain, bias, y, xhat, rstd, rows, rowBytes, width, epsilon): `rows` rows of
 * `rowBytes` bytes (a multiple of 16), byte addresses; rstd one float per row.
 */
function forwardBody(): number[] {
  const [X, GAIN, BIAS, Y, XHAT, RSTD, ROWS, W4, WIDTH, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const take = localsFrom(10);
  const [R, ROW, O] = [take(1)(0), take(1)(0), take(1)(0)];
  const [XP, HP, YP] = [take(4), take(4), take(4)];
  const [S, M, Q, RS] = [take(4), take(4), take(4), take(4)];
  const T = take(1)(0);
  const [V, VS] = [take(1)(0), take(1)(0)];
  const locals = vector([
    [15, I32],
    [17, F32],
    [2, V128],
  ]);
  const pointer = (base: number, r: number) => [
    ...[...get(base), ...get(ROW), ...add],
    ...(r === 0 ? [] : [...get(W4), ...i32Const(r), ...mul, ...add]),
  ];
  const rowsCode = (n: number): number[] => {
    const rs = [...Array(n).keys()];
    const at = (p: (i: number) => number, r: number) => [...get(p(r)), ...get(O), ...add];
    return [
      ...rs.flatMap((r) => [
        ...pointer(X, r),
        ...set(XP(r)),
        ...pointer(XHAT, r),
        ...set(HP(r)),
        ...pointer(Y, r),
        ...set(YP(r)),
      ]),
      // the sums of x, sequential per row, four rows side by side
      ...rs.flatMap((r) => [0x43, 0, 0, 0, 0, ...set(S(r))]),
      ...forBytes(
        O,
        W4,
        4,
        rs.flatMap((r) => [...[...get(S(r)), ...at(XP, r), ...fLoad, ...fAdd, ...set(S(r))]]),
      ),
      ...rs.flatMap((r) => [
        ...[...get(S(r)), ...get(WIDTH), ...fDiv, ...set(M(r))],
        ...[0x43, 0, 0, 0, 0, ...set(Q(r))],
      ]),
      // x − mean, kept in x̂, and the sums of its squares
      ...forBytes(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...at(XP, r), ...fLoad, ...get(M(r)), ...fSub, ...set(T)],
          ...[...at(HP, r), ...get(T), ...fStore],
          ...[...get(Q(r)), ...get(T), ...get(T), ...fMul],
          ...[...fAdd, ...set(Q(r))],
        ]),
      ),
      // rstd = 1 / sqrt(mean + ε), stored per row
      ...rs.flatMap((r) => [
        ...[...fOne, ...get(Q(r)), ...get(WIDTH), ...fDiv, ...get(EPS), ...fAdd],
        ...[...fSqrt, ...fDiv, ...set(RS(r))],
        ...[...rstdAt(RSTD, R, r), ...get(RS(r)), ...fStore],
      ]),
      // x̂ = (x − mean)·rstd, y = x̂·gain + bias, four columns at a time
      ...rs.flatMap((r) => [
        ...[...get(RS(r)), ...vSplat, ...set(VS)],
        ...forBytes(O, W4, 16, [
          ...[...at(HP, r), ...vLoad, ...get(VS), ...vMul, ...set(V)],
          ...[...at(HP, r), ...get(V), ...vStore],
          ...[...at(YP, r), ...get(V), ...get(GAIN), ...get(O), ...add],
          ...[...vLoad, ...vMul, ...get(BIAS), ...get(O), ...add, ...vLoad, ...vAdd],
          ...vStore,
        ]),
      ]),
      ...[...get(ROW), ...get(W4), ...i32Const(n), ...mul, ...add, ...set(ROW)],
    ];
  };
  return [
    ...locals,
    ...[...i32Const(0), ...set(R), ...i32Const(0), ...set(ROW)],
    ...whileRowsLeft(R, ROWS, 4, rowsCode(4)),
    ...whileRowsLeft(R, ROWS, 1, rowsCode(1)),
    0x0b,
  ];
}

/**
 * lnBackward(dy, xhat, rstd, gain, dx, prod, rows, rowBytes, width): dx and dy·x̂ for `rows` rows.
 */
function backwardBody(): number[] {
  const [DY, XHAT, RSTD, GAIN, DX, PROD, ROWS, W4, WIDTH] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const take = localsFrom(9);
  const [R, ROW, O] = [take(1)(0), take(1)(0), take(1)(0)];
  const [DP, HP, XP, PP] = [take(4), take(4), take(4), take(4)];
  const [M1, M2] = [take(4), take(4)];
  const T = take(1)(0);
  const [V, H, V1, V2, VR] = [take(1)(0), take(1)(0), take(1)(0), take(1)(0), take(1)(0)];
  const locals = vector([
    [19, I32],
    [9, F32],
    [5, V128],
  ]);
  const pointer = (base: number, r: number) => [
    ...[...get(base), ...get(ROW), ...add],
    ...(r === 0 ? [] : [...get(W4), ...i32Const(r), ...mul, ...add]),
  ];
  const rowsCode = (n: number): number[] => {
    const rs = [...Array(n).keys()];
    const at = (p: (i: number) => number, r: number) => [...get(p(r)), ...get(O), ...add];
    return [
      ...rs.flatMap((r) => [
        ...[...pointer(DY, r), ...set(DP(r)), ...pointer(XHAT, r)],
        ...[...set(HP(r)), ...pointer(DX, r), ...set(XP(r))],
        ...[...pointer(PROD, r), ...set(PP(r))],
        ...[0x43, 0, 0, 0, 0, ...set(M1(r)), 0x43, 0, 0, 0, 0, ...set(M2(r))],
      ]),
      // dx̂ = dy·gain, kept in dx, and the sums of dx̂ and dx̂·x̂, sequential per row
      ...forBytes(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...at(DP, r), ...fLoad, ...get(GAIN), ...get(O), ...add, ...fLoad],
          ...[...fMul, ...set(T), ...at(XP, r), ...get(T), ...fStore],
          ...[...get(M1(r)), ...get(T), ...fAdd, ...set(M1(r))],
          ...[...get(M2(r)), ...get(T), ...at(HP, r), ...fLoad, ...fMul],
          ...[...fAdd, ...set(M2(r))],
        ]),
      ),
      // dx = ((dx̂ − m1) − x̂·m2)·rstd and dy·x̂, four columns at a time
      ...rs.flatMap((r) => [
        ...[...get(M1(r)), ...get(WIDTH), ...fDiv, ...vSplat, ...set(V1)],
        ...[...get(M2(r)), ...get(WIDTH), ...fDiv, ...vSplat, ...set(V2)],
        ...[...rstdAt(RSTD, R, r), ...fLoad, ...vSplat, ...set(VR)],
        ...forBytes(O, W4, 16, [
          ...[...at(HP, r), ...vLoad, ...set(H)],
          ...[...at(XP, r), ...vLoad, ...get(V1), ...vSub],
          ...[...get(H), ...get(V2), ...vMul, ...vSub],
          ...[...get(VR), ...vMul, ...set(V)],
          ...[...at(XP, r), ...get(V), ...vStore],
          ...[...at(PP, r), ...at(DP, r), ...vLoad, ...get(H), ...vMul, ...vStore],
        ]),
      ]),
      ...[...get(ROW), ...get(W4), ...i32Const(n), ...mul, ...add, ...set(ROW)],
    ];
  };
  return [
    ...locals,
    ...[...i32Const(0), ...set(R), ...i32Const(0), ...set(ROW)],
    ...whileRowsLeft(R, ROWS, 4, rowsCode(4)),
    ...whileRowsLeft(R, ROWS, 1, rowsCode(1)),
    0x0b,
  ];
}

/** softmaxBackward(dy, y, dx, rows, rowBytes): dx = y·(dy − s) with s = Σ dy·y along the row. */
function softmaxBackwardBody(): number[] {
  const [DY, Y, DX, ROWS, W4] = [0, 1, 2, 3, 4];
  const take = localsFrom(5);
  const [R, ROW, O] = [take(1)(0), take(1)(0), take(1)(0)];
  const [DP, YP, XP] = [take(4), take(4), take(4)];
  const S = take(4);
  const [YV, VS] = [take(1)(0), take(1)(0)];
  const locals = vector([
    [15, I32],
    [4, F32],
    [2, V128],
  ]);
  const pointer = (base: number, r: number) => [
    ...[...get(base), ...get(ROW), ...add],
    ...(r === 0 ? [] : [...get(W4), ...i32Const(r), ...mul, ...add]),
  ];
  const rowsCode = (n: number): number[] => {
    const rs = [...Array(n).keys()];
    const at = (p: (i: number) => number, r: number) => [...get(p(r)), ...get(O), ...add];
    return [
      ...rs.flatMap((r) => [
        ...[...pointer(DY, r), ...set(DP(r)), ...pointer(Y, r), ...set(YP(r))],
        ...[...pointer(DX, r), ...set(XP(r)), 0x43, 0, 0, 0, 0, ...set(S(r))],
      ]),
      ...forBytes(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...get(S(r)), ...at(DP, r), ...fLoad, ...at(YP, r), ...fLoad, ...fMul, ...fAdd],
          ...set(S(r)),
        ]),
      ),
      ...rs.flatMap((r) => [
        ...[...get(S(r)), ...vSplat, ...set(VS)],
        ...forBytes(O, W4, 16, [
          ...[...at(YP, r), ...vLoad, ...set(YV)],
          ...[...at(XP, r), ...get(YV), ...at(DP, r), ...vLoad, ...get(VS), ...vSub, ...vMul],
          ...vStore,
        ]),
      ]),
      ...[...get(ROW), ...get(W4), ...i32Const(n), ...mul, ...add, ...set(ROW)],
    ];
  };
  return [
    ...locals,
    ...[...i32Const(0), ...set(R), ...i32Const(0), ...set(ROW)],
    ...whileRowsLeft(R, ROWS, 4, rowsCode(4)),
    ...whileRowsLeft(R, ROWS, 1, rowsCode(1)),
    0x0b,
  ];
}

/** The module's spec, also instantiated by the helper threads (team.ts). */
export const ROW_REDUCE_MODULE: HeapModuleSpec = {
  types: [
    functionType([...Array<number>(8).fill(I32), F32, F32]),
    functionType([...Array<number>(8).fill(I32), F32]),
    functionType(Array<number>(5).fill(I32)),
  ],
  functions: [
    { type: 0, name: 'lnForward', body: forwardBody() },
    { type: 1, name: 'lnBackward', body: backwardBody() },
    { type: 2, name: 'softmaxBackward', body: softmaxBackwardBody() },
  ],
};

export interface RowReduceOps {
  lnForward(
    x: number,
    gain: number,
    bias: number,
    y: number,
    xhat: number,
    rstd: number,
    rows: number,
    rowBytes: number,
    width: number,
    epsilon: number,
  ): void;
  lnBackward(
    dy: number,
    xhat: number,
    rstd: number,
    gain: number,
    dx: number,
    prod: number,
    rows: number,
    rowBytes: number,
    width: number,
  ): void;
  softmaxBackward(dy: number, y: number, dx: number, rows: number, rowBytes: number): void;
}

const module = heapModule<RowReduceOps>(ROW_REDUCE_MODULE);

/** Tests turn the compiled passes off to check the JS loops the kernels fall back to. */
export function setRowReduceOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled passes on `backend`'s heap, or null where they cannot be set up (JS loops). */
export function rowReduceOps(backend: WasmBackend): RowReduceOps | null {
  return module.on(backend);
}
