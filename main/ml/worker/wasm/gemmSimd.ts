// A small f32x4 matrix product compiled on the wasm backend's heap, for batches of small matrices.
//
// The attention products of char-GPT are 128 per-head matrices of 128×32·32×128 and the like per
// call. Through XNNPACK each matrix is its own fully-connected operator: created, its weights
// packed, run and freed, ≈ 55–100 µs for 1 MFLOP (10–19 GFLOP/s on two threads, measured on the
// Xeon of issue 14), where the arithmetic alone takes ≈ 17 µs. Here the whole batch is one loop
// with nothing to create or pack.
//
//   gemm(a, b, c, m, k, n): c [m, n] = a [m, k] · b [k, n], row-major, byte addresses,
//   m a multiple of 4 and n a multiple of 8 (4×8 register tiles; the caller checks).
// Each output is Σ_p a[i, p]·b[p, j] summed in p order in float32 (mul, then add: no fused
// multiply-add without relaxed SIMD), as a plain dot product would.

import {
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  I32,
  i32Add as add,
  i32Const as i32,
  i32Mul as mul,
  memarg,
  set,
  simd,
  uleb,
  V128,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface GemmOps {
  gemm(a: number, b: number, c: number, m: number, k: number, n: number): void;
}

const geS = [0x4e];
const vLoad = (offset: number) => simd(0x00, 0x02, ...uleb(offset));
const vStore = (offset: number) => simd(0x0b, 0x02, ...uleb(offset));
const f32Load = [0x2a, ...memarg];
const splat = simd(0x13);
const fAdd = simd(0xe4);
const fMul = simd(0xe6);
const zero = simd(0x0c, ...Array<number>(16).fill(0));

/** block { loop { if (counter >= limit) break; body; continue } } */
function whileLess(counter: number, limit: number, body: number[]): number[] {
  return [
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(counter), ...get(limit), ...geS, 0x0d, 0x01],
    ...body,
    ...[0x0c, 0x00, 0x0b, 0x0b],
  ];
}

function gemmBody(): number[] {
  const [A, B, C, M, K, N] = [0, 1, 2, 3, 4, 5];
  // i32 locals: row i, column byte offset j, step p, pointers, row strides in bytes.
  const [I, J, P, AP, BP, CP, NB, KB, KB2, KB3] = [6, 7, 8, 9, 10, 11, 12, 13, 14, 15];
  const ACC = 16; // v128 locals 16–23: the 4×8 tile, row r columns 0–3 at 16+2r, 4–7 at 17+2r
  const [B0, B1, AV] = [24, 25, 26];
  const locals = vector([
    [10, I32],
    [11, V128],
  ]);
  const incr = (local: number, by: number[]) => [...get(local), ...by, ...add, ...set(local)];
  const rowTerms = [0, 1, 2, 3].flatMap((r) => [
    // av = splat(a[i + r, p]); acc[r] += av·b0; acc[r]' += av·b1
    ...get(AP),
    ...(r === 0 ? [] : [...get([0, KB, KB2, KB3][r] as number), ...add]),
    ...f32Load,
    ...splat,
    ...set(AV),
    ...[...get(ACC + 2 * r), ...get(AV), ...get(B0), ...fMul, ...fAdd, ...set(ACC + 2 * r)],
    ...[...get(ACC + 2 * r + 1), ...get(AV), ...get(B1), ...fMul, ...fAdd],
    ...set(ACC + 2 * r + 1),
  ]);
  const inner = [
    ...[...get(BP), ...vLoad(0), ...set(B0), ...get(BP), ...vLoad(16), ...set(B1)],
    ...rowTerms,
    ...incr(AP, i32(4)),
    ...incr(BP, get(NB)),
    ...incr(P, i32(1)),
  ];
  const stores = [0, 1, 2, 3].flatMap((r) => [
    ...[...get(CP), ...get(ACC + 2 * r), ...vStore(0)],
    ...[...get(CP), ...get(ACC + 2 * r + 1), ...vStore(16)],
    ...(r === 3 ? [] : incr(CP, get(NB))),
  ]);
  const tile = [
    ...Array.from({ length: 8 }, (_, t) => [...zero, ...set(ACC + t)]).flat(),
    ...[...get(A), ...get(I), ...get(KB), ...mul, ...add, ...set(AP)], // ap = a + i·kb
    ...[...get(B), ...get(J), ...add, ...set(BP)], // bp = b + j
    ...[...i32(0), ...set(P)],
    ...whileLess(P, K, inner),
    ...[...get(C), ...get(I), ...get(NB), ...mul, ...add, ...get(J), ...add, ...set(CP)],
    ...stores,
    ...incr(J, i32(32)),
  ];
  const rows = [...[...i32(0), ...set(J)], ...whileLess(J, NB, tile), ...incr(I, i32(4))];
  const setup = [
    ...[...get(N), ...i32(4), ...mul, ...set(NB)],
    ...[...get(K), ...i32(4), ...mul, ...set(KB)],
    ...[...get(KB), ...get(KB), ...add, ...set(KB2)],
    ...[...get(KB2), ...get(KB), ...add, ...set(KB3)],
    ...[...i32(0), ...set(I)],
  ];
  return [...locals, ...setup, ...whileLess(I, M, rows), 0x0b];
}

/** The module's spec, also instantiated by the second thread (gemmThreads.ts). */
export const GEMM_MODULE: HeapModuleSpec = {
  types: [functionType([I32, I32, I32, I32, I32, I32])],
  functions: [{ type: 0, name: 'gemm', body: gemmBody() }],
};

const module = heapModule<GemmOps>(GEMM_MODULE);

/** Tests turn the compiled product off to check the XNNPACK path the kernel falls back to. */
export function setGemmOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled product on `backend`'s heap, or null where it cannot be set up. */
export function gemmOps(backend: WasmBackend): GemmOps | null {
  return module.on(backend);
}
