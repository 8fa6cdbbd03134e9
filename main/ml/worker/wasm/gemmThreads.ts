// The compiled small-matrix product (gemmSimd.ts) on more than one thread: a batch of products is
// one batch of the helper-thread team (team.ts), one gemm call per matrix whichever thread runs
// it, so the result is the same bits as on one thread.

import { type GemmOps, type GemmVariant } from './gemmSimd';
import { runTeamBatch } from './team';
import type { WasmBackend } from './wasmHeap';

/**
 * One batch of products, addresses and strides in bytes. Matrix i = o·heads + h (heads 1 unless
 * given) has a at aBase + o·aStep + h·aHeadStep, likewise b and out; within a matrix the strides
 * of gemmSimd.ts (contiguous row-major unless given).
 */
export interface GemmBatch {
  aBase: number;
  bBase: number;
  outBase: number;
  aStep: number;
  bStep: number;
  /** Default m·n·4: the outputs one after another. */
  outStep?: number;
  heads?: number;
  aHeadStep?: number;
  bHeadStep?: number;
  outHeadStep?: number;
  m: number;
  k: number;
  n: number;
  aRow?: number;
  aInner?: number;
  bRow?: number;
  outRow?: number;
  variant?: GemmVariant;
  aScale?: number;
  cScale?: number;
  batch: number;
}

/** Runs every product of `batch`, shared with the helper threads where there are any. */
export function gemmBatch(backend: WasmBackend, ops: GemmOps, j: GemmBatch): void {
  const variant = j.variant ?? 'gemmStrided';
  runTeamBatch(backend, ops.strided[variant], {
    fn: ops.names[variant],
    ints: [
      { base: j.aBase, step: j.aStep, headStep: j.aHeadStep ?? 0 },
      { base: j.bBase, step: j.bStep, headStep: j.bHeadStep ?? 0 },
      { base: j.outBase, step: j.outStep ?? j.m * j.n * 4, headStep: j.outHeadStep ?? 0 },
      j.m,
      j.k,
      j.n,
      j.aRow ?? 4 * j.k,
      j.aInner ?? 4,
      j.bRow ?? 4 * j.n,
      j.outRow ?? 4 * j.n,
    ],
    floats: [j.aScale ?? 1, j.cScale ?? 1],
    batch: j.batch,
    heads: j.heads ?? 1,
  });
}

/** Multiply-adds per shared tile of one large product: ≈ 15 µs, so claims stay a small share. */
const TILE_WORK = 1 << 18;

/** The largest of `sizes` (powers of two, descending) that divides `extent`, or null. */
function dividing(extent: number, sizes: readonly number[]): number | null {
  return sizes.find((s) => extent % s === 0) ?? null;
}

/**
 * Bytes of b one pass over k reads (kc rows of n columns). The tiles of a row block each stream
 * their columns of those rows, so together they read all of them, which should stay in the L2
 * cache. Over all of a deep b in one pass the compiled product was slower than XNNPACK (one
 * thread, AMD EPYC: [1024, 4096] · [4096, 256] 99 ms against 77), and 3× slower where b's rows
 * lie a power-of-two number of kB apart, as they then collide in the cache's sets ([256, 4096] ·
 * [4096, 1024] 433 ms against 144); with 256 kB passes 0.5–0.9× XNNPACK's time on one thread
 * and two at the dense-layer shapes of the reference models (scripts/profile/gemmMicro.mjs).
 */
const B_PASS_BYTES = 1 << 18;

/**
 * One product c [m, n] = a [m, k] · b [k, n] (row-major; a may be strided as gemmSimd.ts reads it)
 * cut into tiles of output rows × columns, shared out as one batch per pass over k: each tile is
 * the same compiled call over the pass's depth, the passes after the first (all of them with
 * `accumulate`, c then holding the sums' start, e.g. a bias) adding to c, so every output is
 * summed in k order exactly as by one call. m a multiple of 4 and n of 8 (the caller checks).
 */
export function gemmTiled(
  backend: WasmBackend,
  ops: GemmOps,
  p: {
    a: number;
    b: number;
    out: number;
    m: number;
    k: number;
    n: number;
    aRow?: number;
    aInner?: number;
    accumulate?: boolean;
  },
): void {
  const aRow = p.aRow ?? 4 * p.k;
  const aInner = p.aInner ?? 4;
  const passDepth = Math.max(8, Math.floor(B_PASS_BYTES / (4 * p.n)));
  // The same tiles for every pass, sized for the deepest.
  let rows = dividing(p.m, [64, 32, 16, 8, 4]) ?? p.m;
  let cols = dividing(p.n, [64, 32, 16, 8]) ?? p.n;
  while (rows * cols * Math.min(passDepth, p.k) > TILE_WORK && (rows > 4 || cols > 8)) {
    if (rows > 4 && rows >= cols / 2) rows /= 2;
    else cols /= 2;
  }
  for (let p0 = 0; p0 < p.k; p0 += passDepth) {
    const depth = Math.min(passDepth, p.k - p0);
    gemmBatch(backend, ops, {
      aBase: p.a + p0 * aInner,
      bBase: p.b + p0 * 4 * p.n,
      outBase: p.out,
      aStep: rows * aRow,
      bStep: 0,
      outStep: rows * 4 * p.n,
      heads: p.n / cols,
      aHeadStep: 0,
      bHeadStep: 4 * cols,
      outHeadStep: 4 * cols,
      m: rows,
      k: depth,
      n: cols,
      aRow,
      aInner,
      bRow: 4 * p.n,
      outRow: 4 * p.n,
      variant: p0 === 0 && p.accumulate !== true ? 'gemmStrided' : 'gemmAccumulate',
      batch: (p.m / rows) * (p.n / cols),
    });
  }
}
