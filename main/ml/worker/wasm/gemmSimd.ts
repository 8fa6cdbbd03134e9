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
// Each output is Σ_p a[i, p]·b[p, j] summed in p order in float32, each term multiply-added in one
// rounding where the engine has relaxed SIMD's fused multiply-add (fusedMultiplyAdd.ts), else
// multiplied, rounded and added, as a plain dot product and XNNPACK's wasm build do.
//
// The compiled functions take every stride (in bytes), so an operand can be read where it lies
// inside a larger tensor: a head's q, k or v inside an attention's fused [B, T, 3C] projection
// (row stride 3C), or a matrix read transposed (a's element (i, p) at a + i·aRow + p·aInner, so
// aRow = 4 and aInner = 4·rows reads aᵀ); b and c need their columns contiguous. Two variants
// scale on the way: `gemmScaledA` multiplies each a[i, p] by aScale as it is loaded (the bits of
// multiplying a first, then the product), `gemmScaledC` each sum by cScale as it is stored (the
// bits of the product, then multiplying it). `gemmAccumulate` adds to c: its sums start from c's
// values instead of zero (a product cut along k, gemmThreads.ts; a bias added first, as XNNPACK's
// fully-connected operator does).
//   gemmStrided(a, b, c, m, k, n, aRow, aInner, bRow, cRow, aScale, cScale)

import {
  f32x4Add as fAdd,
  f32x4Mul as fMul,
  f32x4Splat as splat,
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  F32,
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
import {
  f32x4MultiplyAdd,
  fusedMultiplyAddAvailable,
  productsFuseMultiplyAdd,
} from './fusedMultiplyAdd';
import type { WasmBackend } from './wasmHeap';

export interface GemmOps {
  /** c [m, n] = a [m, k] · b [k, n], each row-major and contiguous. */
  gemm(a: number, b: number, c: number, m: number, k: number, n: number): void;
  /** The strided functions themselves, by variant: fused or not, as productsFuseMultiplyAdd. */
  strided: GemmExports;
  /** Their export names, by variant, for the helper threads' copies (gemmThreads.ts). */
  names: Record<GemmVariant, string>;
}

const geS = [0x4e];
const vLoad = (offset: number) => simd(0x00, 0x02, ...uleb(offset));
const vStore = (offset: number) => simd(0x0b, 0x02, ...uleb(offset));
/** v128.load32_splat: one float32 from memory into every lane. */
const loadSplat = simd(0x09, ...memarg);
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

/** The compiled functions, by the scale each applies (see the top), as the module exports them. */
export const GEMM_FUNCTIONS = [
  'gemmStrided',
  'gemmScaledA',
  'gemmScaledC',
  'gemmAccumulate',
] as const;
export type GemmVariant = (typeof GEMM_FUNCTIONS)[number];

function gemmBody(variant: GemmVariant, fused: boolean): number[] {
  const [A, B, C, M, K, N, AROW, AINNER, BROW, CROW, ASCALE, CSCALE] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  // i32 locals: row i, column byte offset j, step p, pointers, n in bytes, 2 and 3 rows of a.
  const [I, J, P, AP, BP, CP, NB, AROW2, AROW3] = [12, 13, 14, 15, 16, 17, 18, 19, 20];
  const ACC = 21; // v128 locals 21–28: the 4×8 tile, row r columns 0–3 at 21+2r, 4–7 at 22+2r
  const [B0, B1, AV, CS, AS] = [29, 30, 31, 32, 33];
  const locals = vector([
    [9, I32],
    [13, V128],
  ]);
  const incr = (local: number, by: number[]) => [...get(local), ...by, ...add, ...set(local)];
  // acc += av·b: fused (x, y, acc on the stack) or multiplied then added (acc, x, y).
  const term = (acc: number, b: number) =>
    fused
      ? [...get(AV), ...get(b), ...get(acc), ...f32x4MultiplyAdd, ...set(acc)]
      : [...get(acc), ...get(AV), ...get(b), ...fMul, ...fAdd, ...set(acc)];
  const rowTerms = [0, 1, 2, 3].flatMap((r) => [
    // av = splat(a[i + r, p]); acc[r] += av·b0; acc[r]' += av·b1
    ...get(AP),
    ...(r === 0 ? [] : [...get([0, AROW, AROW2, AROW3][r] as number), ...add]),
    ...loadSplat,
    ...(variant === 'gemmScaledA' ? [...get(AS), ...fMul] : []),
    ...set(AV),
    ...term(ACC + 2 * r, B0),
    ...term(ACC + 2 * r + 1, B1),
  ]);
  const inner = [
    ...[...get(BP), ...vLoad(0), ...set(B0), ...get(BP), ...vLoad(16), ...set(B1)],
    ...rowTerms,
    ...incr(AP, get(AINNER)),
    ...incr(BP, get(BROW)),
    ...incr(P, i32(1)),
  ];
  const scaled = (acc: number) =>
    variant === 'gemmScaledC' ? [...get(acc), ...get(CS), ...fMul] : get(acc);
  const stores = [0, 1, 2, 3].flatMap((r) => [
    ...[...get(CP), ...scaled(ACC + 2 * r), ...vStore(0)],
    ...[...get(CP), ...scaled(ACC + 2 * r + 1), ...vStore(16)],
    ...(r === 3 ? [] : incr(CP, get(CROW))),
  ]);
  const cTile = [...get(C), ...get(I), ...get(CROW), ...mul, ...add, ...get(J), ...add, ...set(CP)];
  // gemmAccumulate starts each sum from c's value, so a product cut along k into blocks run one
  // after another sums every output in the same order, to the same bits, as one call would.
  const start =
    variant === 'gemmAccumulate'
      ? [
          ...cTile,
          ...[0, 1, 2, 3].flatMap((r) => [
            ...[...get(CP), ...vLoad(0), ...set(ACC + 2 * r)],
            ...[...get(CP), ...vLoad(16), ...set(ACC + 2 * r + 1)],
            ...(r === 3 ? [] : incr(CP, get(CROW))),
          ]),
        ]
      : Array.from({ length: 8 }, (_, t) => [...zero, ...set(ACC + t)]).flat();
  const tile = [
    ...start,
    ...[...get(A), ...get(I), ...get(AROW), ...mul, ...add, ...set(AP)], // ap = a + i·aRow
    ...[...get(B), ...get(J), ...add, ...set(BP)], // bp = b + j
    ...[...i32(0), ...set(P)],
    ...whileLess(P, K, inner),
    ...cTile,
    ...stores,
    ...incr(J, i32(32)),
  ];
  const rows = [...[...i32(0), ...set(J)], ...whileLess(J, NB, tile), ...incr(I, i32(4))];
  const setup = [
    ...[...get(N), ...i32(4), ...mul, ...set(NB)],
    ...[...get(AROW), ...get(AROW), ...add, ...set(AROW2)],
    ...[...get(AROW2), ...get(AROW), ...add, ...set(AROW3)],
    ...[...get(CSCALE), ...splat, ...set(CS)],
    ...[...get(ASCALE), ...splat, ...set(AS)],
    ...[...i32(0), ...set(I)],
  ];
  return [...locals, ...setup, ...whileLess(I, M, rows), 0x0b];
}

/** Built once: every backend's module and the helpers' copies share it. */
let spec: HeapModuleSpec | null = null;

/** A variant's export name in its fused form. */
const fusedName = (variant: GemmVariant): string => `${variant}Fused`;

/**
 * The module's spec, also instantiated by the helper threads (gemmThreads.ts): every variant
 * multiplying then adding, and where the engine has relaxed SIMD, each again fused
 * (fusedMultiplyAdd.ts). Made on first use, since checking for relaxed SIMD may set a V8 flag.
 */
export function gemmModule(): HeapModuleSpec {
  spec ??= {
    types: [functionType([...Array<number>(10).fill(I32), F32, F32])],
    functions: [
      ...GEMM_FUNCTIONS.map((name) => ({ type: 0, name, body: gemmBody(name, false) })),
      ...(fusedMultiplyAddAvailable() ? GEMM_FUNCTIONS : []).map((v) => ({
        type: 0,
        name: fusedName(v),
        body: gemmBody(v, true),
      })),
    ],
  };
  return spec;
}

type StridedGemm = (
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  aRow: number,
  aInner: number,
  bRow: number,
  cRow: number,
  aScale: number,
  cScale: number,
) => void;

type GemmExports = Record<GemmVariant, StridedGemm>;

const module = heapModule<Record<string, StridedGemm>>(gemmModule);

/** Tests turn the compiled product off to check the XNNPACK path the kernel falls back to. */
export function setGemmOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** Per module instance, its ops unfused [0] and fused [1]. */
const opsByExports = new WeakMap<object, (GemmOps | undefined)[]>();

function opsOf(exports: Record<string, StridedGemm>, fused: boolean): GemmOps {
  const names = Object.fromEntries(
    GEMM_FUNCTIONS.map((v) => [v, fused ? fusedName(v) : v]),
  ) as Record<GemmVariant, string>;
  const strided = Object.fromEntries(
    GEMM_FUNCTIONS.map((v) => [v, exports[names[v]] as StridedGemm]),
  ) as GemmExports;
  const gemmStrided = strided.gemmStrided;
  return {
    gemm: (a, b, c, m, k, n) => gemmStrided(a, b, c, m, k, n, 4 * k, 4, 4 * n, 4 * n, 1, 1),
    strided,
    names,
  };
}

/** The compiled product on `backend`'s heap, or null where it cannot be set up. */
export function gemmOps(backend: WasmBackend): GemmOps | null {
  const exports = module.on(backend);
  if (exports === null) return null;
  const fused = productsFuseMultiplyAdd() && exports[fusedName('gemmStrided')] !== undefined;
  let both = opsByExports.get(exports);
  if (both === undefined) {
    both = [];
    opsByExports.set(exports, both);
  }
  return (both[Number(fused)] ??= opsOf(exports, fused));
}
