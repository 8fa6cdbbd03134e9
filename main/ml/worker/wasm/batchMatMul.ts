// BatchMatMul and _FusedMatMul that always reach XNNPACK's fully-connected operator.
//
// The stock wasm kernels only take the XNNPACK path for one [M, K] · [K, N] product with neither
// operand transposed. Every backward pass of a dense layer asks for a transposed operand
// (dA = dC · Bᵀ, dB = Aᵀ · dC) and every attention product is batched, and those ran through a
// scalar loop at 1–4 GFLOP/s. Here a transposed operand is copied into row-major order first
// (a copy is O(size), the product O(size · inner)), and a batch is split into per-matrix calls on
// zero-copy views of the batch's buffers, or folded into one tall product when `b` is shared.

import {
  broadcast_util,
  util,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { gemmOps } from './gemmSimd';
import { gemmBatch, gemmTiled } from './gemmThreads';
import { repeatBlock } from './tile';
import { transposeInto } from './transpose';
import { Activation, matMulRows, type ActivationCode } from './xnnOps';
import {
  allocF32,
  dispose,
  f32Offset,
  byteOffset,
  heapF32,
  heapU8,
  idOf,
  registerView,
  releaseView,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

interface Product {
  a: TensorInfo;
  b: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  bias?: TensorInfo;
  activation: ActivationCode;
}

/** Per-matrix limits of the compiled path: above them XNNPACK's set-up is paid back. */
const SMALL_OUTPUT = 128 * 128;
const SMALL_INNER = 256;
interface Dims {
  batchA: number;
  batchB: number;
  batch: number;
  m: number;
  k: number;
  n: number;
  outShape: number[];
}

/** Batch, matrix sizes and output shape, or null when the broadcast is not a plain 1-vs-B one. */
function dimsOf({ a, b, transposeA, transposeB }: Product): Dims | null {
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  if (aRank < 2 || bRank < 2) return null;
  const aRows = a.shape[aRank - 2] ?? 0;
  const aCols = a.shape[aRank - 1] ?? 0;
  const bRows = b.shape[bRank - 2] ?? 0;
  const bCols = b.shape[bRank - 1] ?? 0;
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k) return null; // let the stock kernel word the error
  const outer = broadcast_util.assertAndGetBroadcastShape(
    a.shape.slice(0, -2),
    b.shape.slice(0, -2),
  );
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const batch = util.sizeFromShape(outer);
  // Broadcasts other than "every matrix" or "one matrix for all" would need index arithmetic the
  // stock kernel does not do right either; leave them to it.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  return { batchA, batchB, batch, m, k, n, outShape: [...outer, m, n] };
}

/** `x` as row-major matrices [batch, rows, cols]: itself, or a transposed copy (caller frees). */
function rowMajor(
  backend: WasmBackend,
  x: TensorInfo,
  transposed: boolean,
  batch: number,
  rows: number,
  cols: number,
): { info: TensorInfo; owned: boolean } {
  if (!transposed) return { info: x, owned: false };
  const copy = allocF32(backend, [batch, rows, cols]);
  // x is stored as [batch, cols, rows].
  transposeInto(backend, x, [batch, cols, rows], [0, 2, 1], copy);
  return { info: copy, owned: true };
}

/**
 * Small matrices batch by batch through the compiled product (gemmSimd.ts): per matrix it skips
 * XNNPACK's operator set-up and weight packing, which cost 2–5× the arithmetic at these sizes.
 * Shapes its 4×8 tiles do not cover, large matrices and shared operands stay with XNNPACK.
 * The batch is shared out over the backend's threads (gemmThreads.ts).
 */
function compiledBatch(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  { batchA, batchB, batch, m, k, n }: Dims,
): boolean {
  if (m % 4 !== 0 || n % 8 !== 0 || m * n > SMALL_OUTPUT || k > SMALL_INNER) return false;
  const ops = gemmOps(backend);
  if (ops === null) return false;
  gemmBatch(backend, ops, {
    aBase: f32Offset(backend, a) * 4,
    bBase: f32Offset(backend, b) * 4,
    outBase: f32Offset(backend, out) * 4,
    aStep: batchA === 1 ? 0 : m * k * 4,
    bStep: batchB === 1 ? 0 : k * n * 4,
    m,
    k,
    n,
    batch,
  });
  return true;
}

/**
 * One product whose right-hand side XNNPACK would pack afresh (a weight changes every step, a
 * gradient is new every call) through the compiled product in tiles shared with the helper
 * threads, in passes over k that keep b's rows in cache (gemmThreads.ts). At dcgan's [64, 64] ·
 * [64, 3136] and [64, 3136] · [3136, 64] the packing costs more than the arithmetic (one thread,
 * loaded machine: 1.47 and 1.53 ms a call through XNNPACK, 0.78 and 0.73 ms compiled); at the
 * text models' [4096, 128] · [128, 512], [512, 4096] · [4096, 128] or [1024, 4096] · [4096, 256]
 * compiled takes 0.7–0.9× XNNPACK's time at 2 threads (AMD EPYC, fresh b every call, medians).
 * Both sum in k order, so unfused the bits agree (scripts/profile/sameLosses.mjs); fused
 * (fusedMultiplyAdd.ts) each term rounds once instead of twice.
 */
function singleCompiled(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  out: TensorInfo,
  { m, k, n }: Pick<Dims, 'm' | 'k' | 'n'>,
  bias: TensorInfo | undefined,
): boolean {
  if (m % 4 !== 0 || n % 8 !== 0) return false;
  const ops = gemmOps(backend);
  if (ops === null) return false;
  if (bias !== undefined) {
    // Every row starts as the bias and the products are added to it, XNNPACK's order.
    const heap = heapU8(backend);
    const start = byteOffset(backend, out);
    heap.copyWithin(start, byteOffset(backend, bias), byteOffset(backend, bias) + 4 * n);
    repeatBlock(heap, start, 4 * n, m);
  }
  gemmTiled(backend, ops, {
    a: f32Offset(backend, a) * 4,
    b: f32Offset(backend, b) * 4,
    out: f32Offset(backend, out) * 4,
    m,
    k,
    n,
    accumulate: bias !== undefined,
  });
  return true;
}

function multiply(backend: WasmBackend, product: Product, dims: Dims): TensorInfo {
  const { batchA, batchB, batch, m, k, n } = dims;
  const out = allocF32(backend, dims.outShape);
  if (batch * m * n === 0) return out;
  if (k === 0) {
    heapF32(backend).fill(0, f32Offset(backend, out), f32Offset(backend, out) + batch * m * n);
    return out;
  }
  const a = rowMajor(backend, product.a, product.transposeA, batchA, m, k);
  const b = rowMajor(backend, product.b, product.transposeB, batchB, k, n);
  const biasId = product.bias === undefined ? 0 : idOf(backend, product.bias);
  const outId = idOf(backend, out);
  try {
    if (
      batchB === 1 &&
      batchA === batch &&
      product.activation === Activation.linear &&
      singleCompiled(backend, a.info, b.info, out, { m: batch * m, k, n }, product.bias)
    ) {
      // done: one product (a batch of left matrices sharing b is one tall one) in shared tiles
    } else if (batchB === 1 && batchA === batch) {
      // One shared right-hand matrix: the whole batch of left matrices is one tall product.
      matMulRows(
        backend,
        idOf(backend, a.info),
        batch * m,
        k,
        idOf(backend, b.info),
        n,
        outId,
        biasId,
        product.activation,
      );
    } else if (!compiledBatch(backend, a.info, b.info, out, dims)) {
      const aBase = f32Offset(backend, a.info);
      const bBase = f32Offset(backend, b.info);
      const outBase = f32Offset(backend, out);
      for (let i = 0; i < batch; i++) {
        const aView = registerView(backend, aBase + (batchA === 1 ? 0 : i) * m * k, m * k);
        const bView = registerView(backend, bBase + (batchB === 1 ? 0 : i) * k * n, k * n);
        const outView = registerView(backend, outBase + i * m * n, m * n);
        matMulRows(backend, aView, m, k, bView, n, outView, biasId, product.activation);
        releaseView(backend, outView);
        releaseView(backend, bView);
        releaseView(backend, aView);
      }
    }
  } finally {
    if (a.owned) dispose(backend, a.info);
    if (b.owned) dispose(backend, b.info);
  }
  return out;
}

/** Overrides BatchMatMul; shapes it does not handle go to the stock kernel. */
export function batchMatMulKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs;
    const attrs = args.attrs ?? {};
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock.kernelFunc(args);
    }
    const product: Product = {
      a,
      b,
      transposeA: attrs.transposeA === true,
      transposeB: attrs.transposeB === true,
      activation: Activation.linear,
    };
    const dims = dimsOf(product);
    return dims === null
      ? stock.kernelFunc(args)
      : multiply(wasmBackendOf(args.backend), product, dims);
  };
  return { ...stock, kernelFunc };
}

/**
 * Overrides _FusedMatMul (dense layers) for the transposed and batched cases with a linear or ReLU
 * activation; the plain case and other activations stay with the stock kernel.
 */
export function fusedMatMulKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs;
    const attrs = args.attrs ?? {};
    const activation =
      attrs.activation === 'relu'
        ? Activation.relu
        : attrs.activation === 'linear' || attrs.activation === undefined
          ? Activation.linear
          : null;
    if (
      a === undefined ||
      b === undefined ||
      a.dtype !== 'float32' ||
      b.dtype !== 'float32' ||
      activation === null ||
      preluActivationWeights !== undefined ||
      (bias !== undefined && bias.shape.length !== 1)
    ) {
      return stock.kernelFunc(args);
    }
    const product: Product = {
      a,
      b,
      transposeA: attrs.transposeA === true,
      transposeB: attrs.transposeB === true,
      bias,
      activation,
    };
    const dims = dimsOf(product);
    // A plain product with a ReLU stays with the stock kernel (XNNPACK's own fast path); a linear
    // one goes compiled (singleCompiled).
    const plain =
      dims !== null &&
      dims.batch === 1 &&
      !product.transposeA &&
      !product.transposeB &&
      activation !== Activation.linear;
    if (dims === null || plain || (bias !== undefined && bias.shape[0] !== dims.n)) {
      return stock.kernelFunc(args);
    }
    return multiply(wasmBackendOf(args.backend), product, dims);
  };
  return { ...stock, kernelFunc };
}
