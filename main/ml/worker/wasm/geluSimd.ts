// The compiled passes of the GELU kernels (gelu.ts), on the wasm backend's heap and instantiated by
// the helper threads too (team.ts): each over `bytes` (a multiple of 16) from each byte address.

import {
  countedLoop,
  F32,
  f32x4Add as add,
  f32x4Mul as mul,
  f32x4Splat as splat,
  f32x4Sub as sub,
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  I32,
  i32Add,
  set,
  V128,
  v128Load as load,
  v128Store as store,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface GeluOps {
  /** z = x·(x²·c2 + c1) */
  geluPreactivation(x: number, z: number, bytes: number, c1: number, c2: number): void;
  /** y = x·s */
  geluTimes(x: number, s: number, y: number, bytes: number): void;
  /** dx = dy·((s − s²)·((x²·c3 + c1)·x) + s) */
  geluGrad(
    dy: number,
    x: number,
    s: number,
    dx: number,
    bytes: number,
    c1: number,
    c3: number,
  ): void;
}

/** Pushes the vector at byte address param `base` + local `o`. */
const at = (base: number, o: number) => [...get(base), ...get(o), ...i32Add];
const loadAt = (base: number, o: number) => [...at(base, o), ...load];

/** for (o = 0; o < bytes; o += 16) body, then end of function. */
const loop = (o: number, bytes: number, body: number[]): number[] => [
  ...countedLoop(o, bytes, 16, body),
  0x0b,
];

function preactivationBody(): number[] {
  const [X, Z, BYTES, C1, C2, O, V1, V2, XV] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return [
    ...vector([
      [1, I32],
      [3, V128],
    ]),
    ...[...get(C1), ...splat, ...set(V1), ...get(C2), ...splat, ...set(V2)],
    ...loop(O, BYTES, [
      ...[...loadAt(X, O), ...set(XV)],
      ...at(Z, O),
      ...[...get(XV), ...get(XV), ...get(XV), ...mul, ...get(V2), ...mul, ...get(V1), ...add],
      ...[...mul, ...store],
    ]),
  ];
}

function timesBody(): number[] {
  const [X, S, Y, BYTES, O] = [0, 1, 2, 3, 4];
  return [
    ...vector([[1, I32]]),
    ...loop(O, BYTES, [...at(Y, O), ...loadAt(X, O), ...loadAt(S, O), ...mul, ...store]),
  ];
}

function gradBody(): number[] {
  const [DY, X, S, DX, BYTES, C1, C3, O, V1, V3, XV, SV] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return [
    ...vector([
      [1, I32],
      [4, V128],
    ]),
    ...[...get(C1), ...splat, ...set(V1), ...get(C3), ...splat, ...set(V3)],
    ...loop(O, BYTES, [
      ...[...loadAt(X, O), ...set(XV), ...loadAt(S, O), ...set(SV)],
      ...[...at(DX, O), ...loadAt(DY, O)],
      ...[...get(SV), ...get(SV), ...get(SV), ...mul, ...sub], // s − s²
      ...[
        ...get(XV),
        ...get(XV),
        ...mul,
        ...get(V3),
        ...mul,
        ...get(V1),
        ...add,
        ...get(XV),
        ...mul,
      ],
      ...[...mul, ...get(SV), ...add, ...mul, ...store],
    ]),
  ];
}

/** The module's spec, also instantiated by the helper threads (team.ts). */
export const GELU_MODULE: HeapModuleSpec = {
  types: [
    functionType([I32, I32, I32, F32, F32]),
    functionType([I32, I32, I32, I32]),
    functionType([I32, I32, I32, I32, I32, F32, F32]),
  ],
  functions: [
    { type: 0, name: 'geluPreactivation', body: preactivationBody() },
    { type: 1, name: 'geluTimes', body: timesBody() },
    { type: 2, name: 'geluGrad', body: gradBody() },
  ],
};

const module = heapModule<GeluOps>(GELU_MODULE);

/** Tests turn the compiled passes off to check the JS loops the kernels fall back to. */
export function setGeluOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled passes on `backend`'s heap, or null where they cannot be set up (JS loops). */
export function geluOps(backend: WasmBackend): GeluOps | null {
  return module.on(backend);
}
