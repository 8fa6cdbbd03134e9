// The char-GPT's causal self-attention products (models/transformerOps.ts) read straight out of
// the fused projection qkv [B, T, 3C], laid out [B, T, 3, h, d], and written straight into the
// [B, T, C] and [B, T, 3C] tensors around them. Op by op, each head's q, k and v must first be
// made row-major matrices of their own: per block two [B, T, 3C] transposes and two splits
// forward, a transposed output back, and backward five transposes and a concat. At chargpt's
// shapes, one block's attention forward and backward on one thread of the EPYC (best of 10,
// scripts/profile/attnMicro.mjs): op by op 63.5 ms of products, 13.8 ms of transposes, 3.0 ms of
// splits and concat; these four kernels 52.8 ms in all. The
// compiled product (gemmSimd.ts) takes strides, so here only k (forward) and v (backward) are
// transposed, the one operand each product needs with its columns along T.
//
// Each product is the one the op path runs through the compiled product, in the same p order
// (dkᵀ = qᵀ·dS there, dk = dSᵀ·q here: the same sums), with the scales where the op path
// multiplies (q·scale before the product, dq and dk after), so the results are the same bits;
// `attentionFits` says when the op path would take the compiled product for every product.
//
// StudioAttentionScores: qkv, attrs heads, scale → S [B, h, T, T] = (q·scale)·kᵀ
// StudioAttentionValues: weights P [B, h, T, T], qkv, attrs heads → y [B, T, C] = P·v per head
// StudioAttentionScoresGrad: dy [B, T, C], qkv, attrs heads → dP [B, h, T, T] = dY·vᵀ
// StudioAttentionInputGrad: dS, weights, dy, qkv, attrs heads, scale → dqkv [B, T, 3C]:
//   dq = dS·k·scale, dk = dSᵀ·q·scale, dv = Pᵀ·dY

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { gemmOps, type GemmOps } from './gemmSimd';
import { gemmBatch } from './gemmThreads';
import { stridedOps, type StridedOps } from './stridedCopy';
import {
  allocF32,
  dispose,
  f32Offset,
  float32Input,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

export const ATTENTION_SCORES = 'StudioAttentionScores';
export const ATTENTION_VALUES = 'StudioAttentionValues';
export const ATTENTION_SCORES_GRAD = 'StudioAttentionScoresGrad';
export const ATTENTION_INPUT_GRAD = 'StudioAttentionInputGrad';
const NAMES = [ATTENTION_SCORES, ATTENTION_VALUES, ATTENTION_SCORES_GRAD, ATTENTION_INPUT_GRAD];

/** batchMatMul.ts's limits of the compiled path, which every product here must be within. */
const SMALL_OUTPUT = 128 * 128;
const SMALL_INNER = 256;
/** Rows of T per strided copy in a transpose (transpose.ts's compiled path). */
const TRANSPOSE_ROWS = 16;

/**
 * Whether the op path would run every attention product of T positions and head width d through
 * the compiled product (4×8 tiles: T a multiple of 8, d of 8, within its size limits), and the
 * kernels and compiled modules are there on `backend`: then these kernels give the same bits.
 */
export function attentionFits(
  backend: WasmBackend,
  registered: (name: string) => boolean,
  t: number,
  d: number,
): boolean {
  return (
    t % 8 === 0 &&
    d % 8 === 0 &&
    t * t <= SMALL_OUTPUT &&
    t <= SMALL_INNER &&
    d <= SMALL_INNER &&
    NAMES.every(registered) &&
    gemmOps(backend) !== null &&
    stridedOps(backend) !== null
  );
}

interface Geometry {
  b: number;
  t: number;
  heads: number;
  d: number;
  /** C = heads·d. */
  width: number;
}

function geometryOf(name: string, qkv: TensorInfo | undefined, heads: number): Geometry {
  if (qkv === undefined || qkv.dtype !== 'float32' || qkv.shape.length !== 3) {
    throw new Error(`${name} takes a float32 qkv [B, T, 3C]`);
  }
  const [b = 0, t = 0, width3 = 0] = qkv.shape;
  const width = width3 / 3;
  const d = width / heads;
  if (!Number.isInteger(d) || d % 8 !== 0 || t % 8 !== 0) {
    throw new Error(
      `${name}: qkv ${String(qkv.shape)} with ${String(heads)} heads is off the tiles`,
    );
  }
  return { b, t, heads, d, width };
}

function compiled(name: string, backend: WasmBackend): { gemm: GemmOps; strided: StridedOps } {
  const gemm = gemmOps(backend);
  const strided = stridedOps(backend);
  if (gemm === null || strided === null) throw new Error(`${name}: no compiled product here`);
  return { gemm, strided };
}

/**
 * Third `part` (1 = k, 2 = v) of qkv as [B, h, d, T]: per sequence, its [T, C] slice (row stride
 * 3C) transposed, by blocks of rows so the reads revisit a few cache lines (caller frees).
 */
function partTransposed(
  backend: WasmBackend,
  ops: StridedOps,
  qkv: TensorInfo,
  part: 1 | 2,
  { b, t, width }: Geometry,
): TensorInfo {
  const out = allocF32(backend, [b, width, t]);
  const src = 4 * f32Offset(backend, qkv);
  const dst = 4 * f32Offset(backend, out);
  const rowBytes = 4 * 3 * width;
  for (let s = 0; s < b; s++) {
    const from = src + s * t * rowBytes + 4 * part * width;
    const to = dst + 4 * s * width * t;
    for (let r0 = 0; r0 < t; r0 += TRANSPOSE_ROWS) {
      const rows = Math.min(TRANSPOSE_ROWS, t - r0);
      // Cell (c, r): out[c, r0 + r] = slice[r0 + r, c].
      ops.copy32(to + 4 * r0, 4 * t, 4, from + r0 * rowBytes, 4, rowBytes, width, rows);
    }
  }
  return out;
}

/** Byte strides of the tensors the products read and write, per sequence and per head. */
function layout({ t, heads, d, width }: Geometry) {
  return {
    qkv: { step: 4 * t * 3 * width, head: 4 * d, row: 4 * 3 * width },
    /** dy and y, [B, T, C]. */
    heads: { step: 4 * t * width, head: 4 * d, row: 4 * width },
    /** S, P, dP, dS: [B, h, T, T]. */
    square: { step: 4 * heads * t * t, head: 4 * t * t, row: 4 * t },
    /** kᵀ, vᵀ: [B, h, d, T]. */
    transposed: { step: 4 * width * t, head: 4 * d * t, row: 4 * t },
  };
}

/**
 * Per head, a [T, d] matrix of `left` (qkv's q or dy, at its layout `rows`) times the transposed
 * `part` of qkv, [d, T] → [B, h, T, T]; `scale` multiplies the left operand as it is loaded.
 */
function timesPartTransposed(
  name: string,
  backend: unknown,
  qkv: TensorInfo | undefined,
  left: TensorInfo | undefined,
  rows: 'qkv' | 'heads',
  part: 1 | 2,
  attrs: { heads: number; scale?: number },
): TensorInfo {
  const g = geometryOf(name, qkv, attrs.heads);
  const a = float32Input(name, left, 'left operand');
  const wb = wasmBackendOf(backend);
  const ops = compiled(name, wb);
  const out = allocF32(wb, [g.b, g.heads, g.t, g.t]);
  const transposed = partTransposed(wb, ops.strided, qkv as TensorInfo, part, g);
  const l = layout(g);
  try {
    gemmBatch(wb, ops.gemm, {
      aBase: 4 * f32Offset(wb, a),
      aStep: l[rows].step,
      aHeadStep: l[rows].head,
      aRow: l[rows].row,
      bBase: 4 * f32Offset(wb, transposed),
      bStep: l.transposed.step,
      bHeadStep: l.transposed.head,
      bRow: l.transposed.row,
      outBase: 4 * f32Offset(wb, out),
      outStep: l.square.step,
      outHeadStep: l.square.head,
      outRow: l.square.row,
      heads: g.heads,
      batch: g.b * g.heads,
      m: g.t,
      k: g.d,
      n: g.t,
      ...(attrs.scale === undefined ? {} : { variant: 'gemmScaledA', aScale: attrs.scale }),
    });
  } finally {
    dispose(wb, transposed);
  }
  return out;
}

const scores: KernelFunc = ({ inputs, backend, attrs }) =>
  timesPartTransposed(ATTENTION_SCORES, backend, inputs.qkv, inputs.qkv, 'qkv', 1, {
    heads: attrs?.heads as number,
    scale: attrs?.scale as number,
  });

const values: KernelFunc = ({ inputs, backend, attrs }) => {
  const heads = attrs?.heads as number;
  const g = geometryOf(ATTENTION_VALUES, inputs.qkv, heads);
  const p = float32Input(ATTENTION_VALUES, inputs.weights, 'weights');
  const qkv = inputs.qkv as TensorInfo;
  const wb = wasmBackendOf(backend);
  const ops = compiled(ATTENTION_VALUES, wb);
  const y = allocF32(wb, [g.b, g.t, g.width]);
  const l = layout(g);
  gemmBatch(wb, ops.gemm, {
    aBase: 4 * f32Offset(wb, p),
    aStep: l.square.step,
    aHeadStep: l.square.head,
    aRow: l.square.row,
    bBase: 4 * (f32Offset(wb, qkv) + 2 * g.width),
    bStep: l.qkv.step,
    bHeadStep: l.qkv.head,
    bRow: l.qkv.row,
    outBase: 4 * f32Offset(wb, y),
    outStep: l.heads.step,
    outHeadStep: l.heads.head,
    outRow: l.heads.row,
    heads,
    batch: g.b * heads,
    m: g.t,
    k: g.t,
    n: g.d,
  });
  return y;
};

const scoresGrad: KernelFunc = ({ inputs, backend, attrs }) =>
  timesPartTransposed(ATTENTION_SCORES_GRAD, backend, inputs.qkv, inputs.dy, 'heads', 2, {
    heads: attrs?.heads as number,
  });

const inputGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const heads = attrs?.heads as number;
  const scale = attrs?.scale as number;
  const g = geometryOf(ATTENTION_INPUT_GRAD, inputs.qkv, heads);
  const dS = float32Input(ATTENTION_INPUT_GRAD, inputs.dS, 'dS');
  const p = float32Input(ATTENTION_INPUT_GRAD, inputs.weights, 'weights');
  const dy = float32Input(ATTENTION_INPUT_GRAD, inputs.dy, 'dy');
  const qkv = inputs.qkv as TensorInfo;
  const wb = wasmBackendOf(backend);
  const ops = compiled(ATTENTION_INPUT_GRAD, wb);
  const dqkv = allocF32(wb, [g.b, g.t, 3 * g.width]);
  const l = layout(g);
  const qkvBase = 4 * f32Offset(wb, qkv);
  const outBase = 4 * f32Offset(wb, dqkv);
  const common = {
    outStep: l.qkv.step,
    outHeadStep: l.qkv.head,
    outRow: l.qkv.row,
    aStep: l.square.step,
    aHeadStep: l.square.head,
    heads,
    batch: g.b * heads,
    m: g.t,
    k: g.t,
    n: g.d,
  };
  /** A square [T, T] per head as the left operand, read as itself or transposed. */
  const square = (t: TensorInfo, transposed: boolean) => ({
    aBase: 4 * f32Offset(wb, t),
    aRow: transposed ? 4 : l.square.row,
    aInner: transposed ? l.square.row : 4,
  });
  const ofQkv = (part: number) => ({
    bBase: qkvBase + 4 * part * g.width,
    bStep: l.qkv.step,
    bHeadStep: l.qkv.head,
    bRow: l.qkv.row,
  });
  // dq = dS·k·scale
  gemmBatch(wb, ops.gemm, {
    ...common,
    ...square(dS, false),
    ...ofQkv(1),
    outBase,
    variant: 'gemmScaledC',
    cScale: scale,
  });
  // dk = dSᵀ·q·scale
  gemmBatch(wb, ops.gemm, {
    ...common,
    ...square(dS, true),
    ...ofQkv(0),
    outBase: outBase + 4 * g.width,
    variant: 'gemmScaledC',
    cScale: scale,
  });
  // dv = Pᵀ·dY
  gemmBatch(wb, ops.gemm, {
    ...common,
    ...square(p, true),
    bBase: 4 * f32Offset(wb, dy),
    bStep: l.heads.step,
    bHeadStep: l.heads.head,
    bRow: l.heads.row,
    outBase: outBase + 8 * g.width,
  });
  return dqkv;
};

const kernel = (kernelName: string, kernelFunc: KernelFunc) => (): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc,
});

export const attentionScoresKernel = kernel(ATTENTION_SCORES, scores);
export const attentionValuesKernel = kernel(ATTENTION_VALUES, values);
export const attentionScoresGradKernel = kernel(ATTENTION_SCORES_GRAD, scoresGrad);
export const attentionInputGradKernel = kernel(ATTENTION_INPUT_GRAD, inputGrad);
