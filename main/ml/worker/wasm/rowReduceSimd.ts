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
  countedLoop,
  F32,
  f32x4Add as vAdd,
  f32x4Mul as vMul,
  f32x4Splat as vSplat,
  f32x4Sub as vSub,
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
  V128,
  v128Load as vLoad,
  v128Store as vStore,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

const fLoad = [0x2a, ...memarg];
const fStore = [0x38, ...memarg];
const [fAdd, fSub, fMul, fDiv, fSqrt] = [[0x92], [0x93], [0x94], [0x95], [0x91]];
const fOne = [0x43, 0x00, 0x00, 0x80, 0x3f];
const ltU = [0x49];

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

/** What a body's code sees of its frame (rowFunction). */
interface RowFrame {
  /** Row index of the block's first row, and the column byte offset of the loops. */
  R: number;
  O: number;
  /** Byte address of column O in row r of the block, for each row-major operand. */
  at: (operand: number, r: number) => number[];
  /** Locals the body asked for, by index. */
  f32: (i: number) => number;
  v128: (i: number) => number;
}

/**
 * A function over `rows` rows of `rowBytes` bytes, its parameters `params` in all, of which
 * `operands` are row-major byte addresses: the body's code for a block of n rows (4, then single
 * rows) with `f32s` float and `v128s` vector locals. The frame keeps a pointer to each row of the
 * block in each operand and moves them on by n rows after the block.
 */
function rowFunction(
  p: { params: number; rows: number; rowBytes: number; operands: readonly number[] },
  f32s: number,
  v128s: number,
  code: (frame: RowFrame, n: number) => number[],
): number[] {
  const [R, ROW, O] = [p.params, p.params + 1, p.params + 2];
  const firstPointer = p.params + 3;
  const i32s = 3 + 4 * p.operands.length;
  const pointer = (k: number, r: number) => firstPointer + 4 * k + r;
  const frame: RowFrame = {
    R,
    O,
    at: (operand, r) => {
      const k = p.operands.indexOf(operand);
      // A parameter not listed has no row pointers: a mistake in a body, found at module build.
      if (k < 0) throw new Error(`rowFunction: parameter ${operand} is not a row operand`);
      return [...get(pointer(k, r)), ...get(O), ...add];
    },
    f32: (i) => p.params + i32s + i,
    v128: (i) => p.params + i32s + f32s + i,
  };
  const block = (n: number): number[] => [
    ...p.operands.flatMap((operand, k) =>
      [...Array(n).keys()].flatMap((r) => [
        ...[...get(operand), ...get(ROW), ...add],
        ...(r === 0 ? [] : [...get(p.rowBytes), ...i32Const(r), ...mul, ...add]),
        ...set(pointer(k, r)),
      ]),
    ),
    ...code(frame, n),
    ...[...get(ROW), ...get(p.rowBytes), ...i32Const(n), ...mul, ...add, ...set(ROW)],
  ];
  const locals = (
    [
      [i32s, I32],
      [f32s, F32],
      [v128s, V128],
    ] as const
  ).filter(([count]) => count > 0);
  return [
    ...vector(locals.map(([count, type]) => [count, type])),
    ...[...i32Const(0), ...set(R), ...i32Const(0), ...set(ROW)],
    ...whileRowsLeft(R, p.rows, 4, block(4)),
    ...whileRowsLeft(R, p.rows, 1, block(1)),
    0x0b,
  ];
}

const fZero = [0x43, 0, 0, 0, 0];

/** The float of row R + r in a one-float-per-row array: byte address base + (R + r)·4. */
const perRow = (base: number, R: number, r: number) => [
  ...[...get(base), ...get(R), ...i32Const(r), ...add, ...i32Const(4), ...mul, ...add],
];

/** lnForward(x, gain, bias, y, xhat, rstd, rows, rowBytes, width, epsilon); rstd a float per row. */
function forwardBody(): number[] {
  const [X, GAIN, BIAS, Y, XHAT, RSTD, ROWS, W4, WIDTH, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const frame = { params: 10, rows: ROWS, rowBytes: W4, operands: [X, XHAT, Y] };
  return rowFunction(frame, 17, 2, ({ R, O, at, f32, v128 }, n) => {
    const rs = [...Array(n).keys()];
    // per row r: the sum S, the mean M, the sum of squares Q, rstd RS; one temporary T
    const [S, M, Q, RS] = [0, 4, 8, 12].map((first) => (r: number) => f32(first + r)) as [
      (r: number) => number,
      (r: number) => number,
      (r: number) => number,
      (r: number) => number,
    ];
    const [T, V, VS] = [f32(16), v128(0), v128(1)];
    return [
      // the sums of x, sequential per row, the block's rows side by side
      ...rs.flatMap((r) => [...fZero, ...set(S(r))]),
      ...countedLoop(
        O,
        W4,
        4,
        rs.flatMap((r) => [...get(S(r)), ...at(X, r), ...fLoad, ...fAdd, ...set(S(r))]),
      ),
      ...rs.flatMap((r) => [
        ...[...get(S(r)), ...get(WIDTH), ...fDiv, ...set(M(r))],
        ...[...fZero, ...set(Q(r))],
      ]),
      // x − mean, kept in x̂, and the sums of its squares
      ...countedLoop(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...at(X, r), ...fLoad, ...get(M(r)), ...fSub, ...set(T)],
          ...[...at(XHAT, r), ...get(T), ...fStore],
          ...[...get(Q(r)), ...get(T), ...get(T), ...fMul, ...fAdd, ...set(Q(r))],
        ]),
      ),
      // rstd = 1 / sqrt(mean + ε), stored per row
      ...rs.flatMap((r) => [
        ...[...fOne, ...get(Q(r)), ...get(WIDTH), ...fDiv, ...get(EPS), ...fAdd],
        ...[...fSqrt, ...fDiv, ...set(RS(r))],
        ...[...perRow(RSTD, R, r), ...get(RS(r)), ...fStore],
      ]),
      // x̂ = (x − mean)·rstd, y = x̂·gain + bias, four columns at a time
      ...rs.flatMap((r) => [
        ...[...get(RS(r)), ...vSplat, ...set(VS)],
        ...countedLoop(O, W4, 16, [
          ...[...at(XHAT, r), ...vLoad, ...get(VS), ...vMul, ...set(V)],
          ...[...at(XHAT, r), ...get(V), ...vStore],
          ...[...at(Y, r), ...get(V), ...get(GAIN), ...get(O), ...add],
          ...[...vLoad, ...vMul, ...get(BIAS), ...get(O), ...add, ...vLoad, ...vAdd],
          ...vStore,
        ]),
      ]),
    ];
  });
}

/** lnBackward(dy, xhat, rstd, gain, dx, prod, rows, rowBytes, width): dx and dy·x̂. */
function backwardBody(): number[] {
  const [DY, XHAT, RSTD, GAIN, DX, PROD, ROWS, W4, WIDTH] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const frame = { params: 9, rows: ROWS, rowBytes: W4, operands: [DY, XHAT, DX, PROD] };
  return rowFunction(frame, 9, 5, ({ R, O, at, f32, v128 }, n) => {
    const rs = [...Array(n).keys()];
    // per row r: the sums M1 of dx̂ and M2 of dx̂·x̂; one temporary T
    const M1 = (r: number) => f32(r);
    const M2 = (r: number) => f32(4 + r);
    const T = f32(8);
    const [V, H, V1, V2, VR] = [0, 1, 2, 3, 4].map(v128) as [
      number,
      number,
      number,
      number,
      number,
    ];
    return [
      ...rs.flatMap((r) => [...fZero, ...set(M1(r)), ...fZero, ...set(M2(r))]),
      // dx̂ = dy·gain, kept in dx, and the sums of dx̂ and dx̂·x̂, sequential per row
      ...countedLoop(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...at(DY, r), ...fLoad, ...get(GAIN), ...get(O), ...add, ...fLoad],
          ...[...fMul, ...set(T), ...at(DX, r), ...get(T), ...fStore],
          ...[...get(M1(r)), ...get(T), ...fAdd, ...set(M1(r))],
          ...[...get(M2(r)), ...get(T), ...at(XHAT, r), ...fLoad, ...fMul, ...fAdd, ...set(M2(r))],
        ]),
      ),
      // dx = ((dx̂ − m1) − x̂·m2)·rstd and dy·x̂, four columns at a time
      ...rs.flatMap((r) => [
        ...[...get(M1(r)), ...get(WIDTH), ...fDiv, ...vSplat, ...set(V1)],
        ...[...get(M2(r)), ...get(WIDTH), ...fDiv, ...vSplat, ...set(V2)],
        ...[...perRow(RSTD, R, r), ...fLoad, ...vSplat, ...set(VR)],
        ...countedLoop(O, W4, 16, [
          ...[...at(XHAT, r), ...vLoad, ...set(H)],
          ...[...at(DX, r), ...vLoad, ...get(V1), ...vSub],
          ...[...get(H), ...get(V2), ...vMul, ...vSub],
          ...[...get(VR), ...vMul, ...set(V)],
          ...[...at(DX, r), ...get(V), ...vStore],
          ...[...at(PROD, r), ...at(DY, r), ...vLoad, ...get(H), ...vMul, ...vStore],
        ]),
      ]),
    ];
  });
}

/** softmaxBackward(dy, y, dx, rows, rowBytes): dx = y·(dy − s) with s = Σ dy·y along the row. */
function softmaxBackwardBody(): number[] {
  const [DY, Y, DX, ROWS, W4] = [0, 1, 2, 3, 4];
  const frame = { params: 5, rows: ROWS, rowBytes: W4, operands: [DY, Y, DX] };
  return rowFunction(frame, 4, 2, ({ O, at, f32, v128 }, n) => {
    const rs = [...Array(n).keys()];
    const [YV, VS] = [v128(0), v128(1)];
    return [
      ...rs.flatMap((r) => [...fZero, ...set(f32(r))]),
      ...countedLoop(
        O,
        W4,
        4,
        rs.flatMap((r) => [
          ...[...get(f32(r)), ...at(DY, r), ...fLoad, ...at(Y, r), ...fLoad, ...fMul, ...fAdd],
          ...set(f32(r)),
        ]),
      ),
      ...rs.flatMap((r) => [
        ...[...get(f32(r)), ...vSplat, ...set(VS)],
        ...countedLoop(O, W4, 16, [
          ...[...at(Y, r), ...vLoad, ...set(YV)],
          ...[...at(DX, r), ...get(YV), ...at(DY, r), ...vLoad, ...get(VS), ...vSub, ...vMul],
          ...vStore,
        ]),
      ]),
    ];
  });
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
