// Transpose by cache-sized tiles. The stock wasm kernel walks the output in order and reads the
// input with the permuted stride, one element at a time: for a [4096, 128] matrix every read lands
// on a different cache line and page, ≈ 20 ns per value measured here. Dense-layer gradients
// transpose their activations on every step (tfjs's gradient does it implicitly, the studio's
// models and kernels do it explicitly to reach XNNPACK), so this is on every model's hot path.
//
// After merging dimensions that stay adjacent (`simplifyTranspose`), either the last axis stays
// last (then whole rows move, as block copies), or it does not (then 32×32 tiles of the two axes
// that trade places are copied, so the reads and writes of a tile both stay in L1 cache).
//
// The stock kernel's compiled loop is the better one in two cases (measured, one thread, cold
// cache): when the last axis stays (row copies: [32, 128, 4, 32] → [0, 2, 1, 3] 0.18 ms instead of
// 0.91, and never slower), and when the axis that becomes the last one is short, so its strided
// reads touch few cache lines ([64, 3136]ᵀ 0.12 ms instead of 0.31, a conv gradient's [64, 196, 32]
// → [32, 196, 64] 0.57 instead of 0.81). With 128 or more ([512, 512]ᵀ, [4096, 128]ᵀ) the tiles
// here win by 3–5×. Its rank-5 loop is slow, so it takes ranks 2–4 only.
//
// A 2-D slice of at least TEAM_VALUES values (each slice of a batched transpose on its own) with
// more row blocks than one claim of the team (4) shares its blocks with the helper threads
// (team.ts): alternated on the AMD EPYC at 2 threads, [4096, 512]ᵀ 1.64 → 1.06 ms, [4096, 384]ᵀ
// 1.07 → 0.81, [4096, 128]ᵀ 0.30 → 0.23, while below that the hand-off costs more than it saves
// ([128, 512]ᵀ 0.045 → 0.085). In chargpt's step the transposes took 37 and 40 ms, then 26 and 23.

import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import {
  f32Offset,
  heapF32,
  heapI32,
  idOf,
  scratchInts,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';
import { stridedOps, type StridedOps } from './stridedCopy';
import { runTeamBatch } from './team';

const TILE = 32;
/** Rows per call of the compiled path (measured best of 8, 16, 32 and all rows). */
const COMPILED_ROWS = 16;
/** Values a transpose's tiles must reach before they are shared with the helper threads. */
const TEAM_VALUES = 1 << 18;
/** Rows at least this long are moved with copyWithin (a memmove) rather than a loop. */
const MEMMOVE_RUN = 48;

/**
 * Drops size-1 dimensions and merges dimensions that stay adjacent and in order under `perm`:
 * fewer, longer dimensions mean longer contiguous runs and fewer loop levels.
 */
export function simplifyTranspose(
  shape: readonly number[],
  perm: readonly number[],
): { shape: number[]; perm: number[] } {
  const kept = perm.filter((axis) => shape[axis] !== 1);
  const groups: number[][] = [];
  for (const axis of kept) {
    const last = groups[groups.length - 1];
    const lastAxis = last?.[last.length - 1];
    if (last !== undefined && lastAxis !== undefined && axis === nextKept(shape, lastAxis)) {
      last.push(axis);
    } else {
      groups.push([axis]);
    }
  }
  const byInputOrder = [...groups].sort((g, h) => (g[0] ?? 0) - (h[0] ?? 0));
  const mergedShape = byInputOrder.map((g) =>
    g.reduce((size, axis) => size * (shape[axis] ?? 1), 1),
  );
  const mergedPerm = groups.map((g) => byInputOrder.indexOf(g));
  return { shape: mergedShape, perm: mergedPerm };
}

/** The next input axis after `axis` whose size is not 1 (size-1 axes do not break adjacency). */
function nextKept(shape: readonly number[], axis: number): number {
  let next = axis + 1;
  while (next < shape.length && shape[next] === 1) next++;
  return next;
}

/** Row-major strides of `shape`. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--)
    strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  return strides;
}

/**
 * Calls `visit(inputOffset, outputOffset)` for every combination of the output axes `axes`
 * (in output order), given each axis's size and its input and output strides.
 */
function forEachOuter(
  sizes: readonly number[],
  inStrides: readonly number[],
  outStrides: readonly number[],
  visit: (inOffset: number, outOffset: number) => void,
): void {
  const rank = sizes.length;
  if (rank === 0) {
    visit(0, 0);
    return;
  }
  const index = new Array<number>(rank).fill(0);
  let inOffset = 0;
  let outOffset = 0;
  for (;;) {
    visit(inOffset, outOffset);
    let axis = rank - 1;
    for (; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      inOffset += inStrides[axis] as number;
      outOffset += outStrides[axis] as number;
      if ((index[axis] as number) < (sizes[axis] as number)) break;
      inOffset -= (sizes[axis] as number) * (inStrides[axis] as number);
      outOffset -= (sizes[axis] as number) * (outStrides[axis] as number);
      index[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/**
 * Writes the elements at `src` (of `shape`, row-major) permuted by `perm` to `dst`, in a 4-byte
 * heap view (Float32Array for float32, Int32Array for int32: copying int32 through floats could
 * rewrite NaN bit patterns). With `ops` the tiles are compiled copies, and with `team` (the
 * backend whose heap this is) large ones are shared with its helper threads.
 */
export function permute(
  heap: Float32Array | Int32Array,
  src: number,
  shape: readonly number[],
  perm: readonly number[],
  dst: number,
  ops: StridedOps | null = null,
  team: WasmBackend | null = null,
): void {
  const s = simplifyTranspose(shape, perm);
  const rank = s.shape.length;
  const size = s.shape.reduce((a, b) => a * b, 1);
  if (rank <= 1 || s.perm.every((axis, i) => axis === i)) {
    heap.copyWithin(dst, src, src + size);
    return;
  }
  const inStrides = stridesOf(s.shape);
  const outShape = s.perm.map((axis) => s.shape[axis] as number);
  const outStrides = stridesOf(outShape);
  const inStrideOfOut = s.perm.map((axis) => inStrides[axis] as number);

  if (s.perm[rank - 1] === rank - 1) {
    // The last axis stays: move whole rows.
    const run = s.shape[rank - 1] as number;
    forEachOuter(
      outShape.slice(0, -1),
      inStrideOfOut.slice(0, -1),
      outStrides.slice(0, -1),
      (i, o) => {
        const from = src + i;
        const to = dst + o;
        if (run >= MEMMOVE_RUN) heap.copyWithin(to, from, from + run);
        else for (let k = 0; k < run; k++) heap[to + k] = heap[from + k] as number;
      },
    );
    return;
  }
  // Input axis `a` becomes the output's last axis; the input's last axis lands at output axis q.
  const a = s.perm[rank - 1] as number;
  const q = s.perm.indexOf(rank - 1);
  const rows = s.shape[a] as number; // along input axis a (output stride 1)
  const cols = s.shape[rank - 1] as number; // along the input's last axis (input stride 1)
  const rowStride = inStrides[a] as number;
  const colStride = outStrides[q] as number;
  const outer = [...Array(rank).keys()].filter((axis) => axis !== q && axis !== rank - 1);
  forEachOuter(
    outer.map((axis) => outShape[axis] as number),
    outer.map((axis) => inStrideOfOut[axis] as number),
    outer.map((axis) => outStrides[axis] as number),
    (i, o) => {
      const inBase = src + i;
      const outBase = dst + o;
      if (ops !== null) {
        // Per block of COMPILED_ROWS rows, a grid of (column, row): contiguous writes, and reads
        // that revisit the block's few cache lines. Each block writes its own rows of every
        // output column, so a large transpose's whole blocks are shared with the helper threads.
        let start = 0;
        const whole = Math.floor(rows / COMPILED_ROWS);
        if (team !== null && whole > 1 && rows * cols >= TEAM_VALUES) {
          runTeamBatch(team, ops.copy32, {
            fn: 'copy32',
            ints: [
              { base: 4 * outBase, step: 4 * COMPILED_ROWS },
              4 * colStride,
              4,
              { base: 4 * inBase, step: 4 * COMPILED_ROWS * rowStride },
              4,
              4 * rowStride,
              cols,
              COMPILED_ROWS,
            ],
            batch: whole,
          });
          start = whole * COMPILED_ROWS;
        }
        for (let r0 = start; r0 < rows; r0 += COMPILED_ROWS) {
          const count = Math.min(COMPILED_ROWS, rows - r0);
          const from = 4 * (inBase + r0 * rowStride);
          ops.copy32(4 * (outBase + r0), 4 * colStride, 4, from, 4, 4 * rowStride, cols, count);
        }
        return;
      }
      for (let r0 = 0; r0 < rows; r0 += TILE) {
        const r1 = Math.min(rows, r0 + TILE);
        for (let c0 = 0; c0 < cols; c0 += TILE) {
          const c1 = Math.min(cols, c0 + TILE);
          for (let c = c0; c < c1; c++) {
            const to = outBase + c * colStride;
            const from = inBase + c;
            for (let r = r0; r < r1; r++) heap[to + r] = heap[from + r * rowStride] as number;
          }
        }
      }
    },
  );
}

/** A 4-byte tensor's heap view, or null for other dtypes. */
function viewFor(backend: WasmBackend, dtype: string): Float32Array | Int32Array | null {
  if (dtype === 'float32') return heapF32(backend);
  if (dtype === 'int32') return heapI32(backend);
  return null;
}

/** The longest new last axis for which the stock kernel's strided reads stay cheap. */
const STOCK_MAX_NEW_LAST = 96;

/** Runs the stock compiled transpose when it is the faster one (see the top); false otherwise. */
function stockTransposeInto(
  backend: WasmBackend,
  x: TensorInfo,
  shape: readonly number[],
  perm: readonly number[],
  out: TensorInfo,
): boolean {
  const transpose = backend.wasm._Transpose;
  if (transpose === undefined) return false;
  const s = simplifyTranspose(shape, perm);
  const rank = s.shape.length;
  if (rank < 2 || rank > 4) return false;
  const newLast = s.perm[rank - 1] as number;
  if (newLast !== rank - 1 && (s.shape[newLast] as number) > STOCK_MAX_NEW_LAST) return false;
  const shapePtr = scratchInts(backend, 0, s.shape);
  const permPtr = scratchInts(backend, 1, s.perm);
  const dtype = x.dtype === 'int32' ? 1 : 0; // tfjs-backend-wasm's CppDType
  transpose.call(
    backend.wasm,
    idOf(backend, x),
    shapePtr,
    rank,
    dtype,
    idOf(backend, out),
    permPtr,
    rank,
  );
  return true;
}

/** Copies `x` (of `shape`) into `out` permuted by `perm`; both must be float32 or int32. */
export function transposeInto(
  backend: WasmBackend,
  x: TensorInfo,
  shape: readonly number[],
  perm: readonly number[],
  out: TensorInfo,
): void {
  const heap = viewFor(backend, x.dtype);
  if (heap === null) throw new Error(`transposeInto: ${x.dtype} is not a 4-byte dtype`);
  const ops = stridedOps(backend);
  const s = simplifyTranspose(shape, perm);
  const lastMoves = s.perm[s.perm.length - 1] !== s.perm.length - 1;
  if (!(ops !== null && lastMoves) && stockTransposeInto(backend, x, shape, perm, out)) return;
  permute(heap, f32Offset(backend, x), shape, perm, f32Offset(backend, out), ops, backend);
}

export function transposeKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    const perm = args.attrs?.perm as number[] | undefined;
    if (x === undefined || perm === undefined || perm.length !== x.shape.length) {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    if (viewFor(backend, x.dtype) === null) return stock.kernelFunc(args);
    const out = backend.makeOutput(
      perm.map((axis) => x.shape[axis] as number),
      x.dtype as 'float32' | 'int32',
    );
    if (util.sizeFromShape(x.shape) > 0) transposeInto(backend, x, x.shape, perm, out);
    return out;
  };
  return { ...stock, kernelFunc };
}
