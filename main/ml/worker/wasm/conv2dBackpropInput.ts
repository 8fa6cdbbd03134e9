// Conv2DBackpropInput: the input gradient of a convolution, and the forward pass of every
// conv2dTranspose (the generator and decoder upsampling layers). The stock wasm kernel is a scalar
// loop; here the work goes to XNNPACK in one of two ways.
//
// Sub-pixel phases (enough input channels). With stride s, the outputs dx[n, sY + py, sX + px, :]
// of one phase (py, px) only meet the filter taps ky ≡ py + pt (mod s), kx likewise, so each phase
// is an ordinary stride-1 convolution of dy with a small filter gathered from those taps (for the
// usual k 4, s 2 one 2×2 filter per phase). s² such convolutions do exactly the useful
// multiply-adds; their outputs are then interleaved into dx.
//
// im2col / col2im (few input channels, e.g. the last layer of an image generator): a phase
// convolution with 1–3 output channels leaves XNNPACK's 8-wide tiles mostly empty. Instead one
// GEMM computes every tap's contribution, cols [N·Ho·Wo, kh·kw·Cin] = dy · Wᵀ, and a scatter-add
// folds the taps into dx. The same path takes any geometry the phases cannot (negative padding).

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { conv2dByIm2colInto } from './conv2dIm2col';
import { convGeometry, type ConvGeometry } from './convGeometry';
import { gemmOps } from './gemmSimd';
import { gemmTiled } from './gemmThreads';
import { stridedOps } from './stridedCopy';
import { runTeamBatch } from './team';
import { transposeInto } from './transpose';
import { conv2dInto, matMulRows } from './xnnOps';
import {
  allocF32,
  byteOffset,
  dispose,
  f32Offset,
  heapF32,
  idOf,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

/** Below this many input channels the phase convolutions waste most of each XNNPACK tile. */
export const MIN_CHANNELS_FOR_PHASES = 8;

/** One output phase along one axis. */
interface Phase {
  /** First output row/column of the phase, and how many there are (every s-th). */
  start: number;
  count: number;
  /** The filter taps it meets: first, count; they are `stride` apart. */
  firstTap: number;
  taps: number;
  /** Padding of the stride-1 convolution over dy that produces it. */
  padBefore: number;
  padAfter: number;
}

function phasesAlong(
  size: number,
  outSize: number,
  filter: number,
  stride: number,
  pad: number,
): Phase[] {
  const phases: Phase[] = [];
  for (let start = 0; start < stride; start++) {
    const q = start + pad;
    const firstTap = ((q % stride) + stride) % stride;
    const base = (q - firstTap) / stride;
    const taps = firstTap < filter ? Math.ceil((filter - firstTap) / stride) : 0;
    const count = start < size ? Math.ceil((size - start) / stride) : 0;
    const padBefore = taps - 1 - base;
    const padAfter = count - outSize - padBefore + taps - 1;
    phases.push({ start, count, firstTap, taps, padBefore, padAfter });
  }
  return phases;
}

/** The phase filter F[a, b, co, ci] = W[ry + (Jy−1−a)·sh, rx + (Jx−1−b)·sw, ci, co]. */
function gatherPhaseFilter(
  backend: WasmBackend,
  filter: TensorInfo,
  g: ConvGeometry,
  rows: Phase,
  cols: Phase,
  out: TensorInfo,
): void {
  const {
    filterWidth: kw,
    inChannels: cin,
    outChannels: cout,
    strideHeight: sh,
    strideWidth: sw,
  } = g;
  const heap = heapF32(backend);
  const src = f32Offset(backend, filter);
  let o = f32Offset(backend, out);
  for (let a = 0; a < rows.taps; a++) {
    const ky = rows.firstTap + (rows.taps - 1 - a) * sh;
    for (let b = 0; b < cols.taps; b++) {
      const kx = cols.firstTap + (cols.taps - 1 - b) * sw;
      const tap = src + (ky * kw + kx) * cin * cout;
      for (let co = 0; co < cout; co++) {
        for (let ci = 0; ci < cin; ci++) heap[o++] = heap[tap + ci * cout + co] as number;
      }
    }
  }
}

/** dx[n, start_y + sh·Y, start_x + sw·X, :] = phase[n, Y, X, :], or 0 where `phase` is null. */
function scatterPhase(
  backend: WasmBackend,
  phase: TensorInfo | null,
  dx: TensorInfo,
  g: ConvGeometry,
  rows: Phase,
  cols: Phase,
): void {
  const { batch, inHeight: h, inWidth: w, inChannels: c, strideHeight: sh, strideWidth: sw } = g;
  const heap = heapF32(backend);
  const dst = f32Offset(backend, dx);
  const src = phase === null ? 0 : f32Offset(backend, phase);
  const ops = phase === null ? null : stridedOps(backend);
  if (ops !== null) {
    // Per example, a grid of phase rows × columns, each cell one pixel's c channels: one batch of
    // examples shared with the helper threads (each writes its own example of dx).
    const perExample = rows.count * cols.count * c;
    const d = { base: 4 * (dst + (rows.start * w + cols.start) * c), step: 4 * h * w * c };
    const from = { base: 4 * src, step: 4 * perExample };
    if (c === 1) {
      runTeamBatch(backend, ops.copy32, {
        fn: 'copy32',
        ints: [d, 4 * sh * w, 4 * sw, from, 4 * cols.count, 4, rows.count, cols.count],
        batch,
      });
    } else {
      runTeamBatch(backend, ops.copyBlocks, {
        fn: 'copyBlocks',
        ints: [
          d,
          4 * sh * w * c,
          4 * sw * c,
          from,
          4 * cols.count * c,
          4 * c,
          rows.count,
          cols.count,
          4 * c,
        ],
        batch,
      });
    }
    return;
  }
  let s = src;
  for (let n = 0; n < batch; n++) {
    for (let y = 0; y < rows.count; y++) {
      let d = dst + ((n * h + rows.start + y * sh) * w + cols.start) * c;
      for (let x = 0; x < cols.count; x++, d += sw * c) {
        if (phase === null) {
          heap.fill(0, d, d + c);
        } else {
          for (let i = 0; i < c; i++) heap[d + i] = heap[s + i] as number;
          s += c;
        }
      }
    }
  }
}

function byPhases(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  rowPhases: Phase[],
  colPhases: Phase[],
): TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = g;
  const dx = allocF32(backend, [batch, inHeight, inWidth, inChannels]);
  const direct = rowPhases.length === 1 && colPhases.length === 1;
  const maxRows = Math.max(...rowPhases.map((p) => p.count));
  const maxCols = Math.max(...colPhases.map((p) => p.count));
  const phaseOut = direct ? null : allocF32(backend, [batch * maxRows * maxCols * inChannels]);
  try {
    for (const rows of rowPhases) {
      for (const cols of colPhases) {
        if (rows.count === 0 || cols.count === 0) continue;
        if (rows.taps === 0 || cols.taps === 0) {
          scatterPhase(backend, null, dx, g, rows, cols);
          continue;
        }
        // A fresh filter tensor per phase: XNNPACK caches the packed filter under its id.
        const phaseFilter = allocF32(backend, [rows.taps, cols.taps, outChannels, inChannels]);
        gatherPhaseFilter(backend, filter, g, rows, cols, phaseFilter);
        const target = phaseOut ?? dx;
        const phase: ConvGeometry = {
          batch,
          inHeight: outHeight,
          inWidth: outWidth,
          inChannels: outChannels,
          outHeight: rows.count,
          outWidth: cols.count,
          outChannels: inChannels,
          filterHeight: rows.taps,
          filterWidth: cols.taps,
          strideHeight: 1,
          strideWidth: 1,
          padTop: rows.padBefore,
          padLeft: cols.padBefore,
        };
        if (!conv2dByIm2colInto(backend, dy, phaseFilter, phase, target)) {
          conv2dInto(backend, {
            xId: idOf(backend, dy),
            batch,
            inHeight: outHeight,
            inWidth: outWidth,
            inChannels: outChannels,
            filterId: idOf(backend, phaseFilter),
            filterHeight: rows.taps,
            filterWidth: cols.taps,
            outChannels: inChannels,
            padTop: rows.padBefore,
            padBottom: rows.padAfter,
            padLeft: cols.padBefore,
            padRight: cols.padAfter,
            strideHeight: 1,
            strideWidth: 1,
            dilationHeight: 1,
            dilationWidth: 1,
            outId: idOf(backend, target),
          });
        }
        dispose(backend, phaseFilter);
        if (phaseOut !== null) scatterPhase(backend, phaseOut, dx, g, rows, cols);
      }
    }
  } finally {
    if (phaseOut !== null) dispose(backend, phaseOut);
  }
  return dx;
}

/**
 * col2im: dx[n, sh·oy − pt + ky, sw·ox − pl + kx, :] += cols[n, oy, ox, (ky, kx, :)]. Per filter
 * tap the output columns whose input column lies inside dx are one range, found once, so the
 * inner loop has no bounds tests (with one channel, as in an image generator's last layer, it is
 * one add per step).
 */
function scatterColumns(
  backend: WasmBackend,
  heap: Float32Array,
  c: number,
  out: number,
  g: ConvGeometry,
): void {
  const { batch, inHeight: h, inWidth: w, inChannels: cin, outHeight, outWidth } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const taps = kh * kw * cin;
  heap.fill(0, out, out + batch * h * w * cin);
  const first = new Int32Array(kw);
  const end = new Int32Array(kw);
  for (let kx = 0; kx < kw; kx++) {
    const shift = kx - g.padLeft;
    first[kx] = Math.min(outWidth, Math.max(0, Math.ceil(-shift / sw)));
    end[kx] = Math.max(first[kx] as number, Math.min(outWidth, Math.ceil((w - shift) / sw)));
  }
  const dStep = sw * cin;
  const ops = stridedOps(backend);
  if (ops !== null) {
    // Per example and tap, the output rows and columns that land inside dx form one grid.
    const yFirst = new Int32Array(kh);
    const yEnd = new Int32Array(kh);
    for (let ky = 0; ky < kh; ky++) {
      const shift = ky - g.padTop;
      yFirst[ky] = Math.min(outHeight, Math.max(0, Math.ceil(-shift / sh)));
      yEnd[ky] = Math.max(yFirst[ky] as number, Math.min(outHeight, Math.ceil((h - shift) / sh)));
    }
    for (let n = 0; n < batch; n++) {
      for (let ky = 0; ky < kh; ky++) {
        const y0 = yFirst[ky] as number;
        const rowsIn = (yEnd[ky] as number) - y0;
        for (let kx = 0; kx < kw; kx++) {
          const x0 = first[kx] as number;
          const colsIn = (end[kx] as number) - x0;
          if (rowsIn <= 0 || colsIn <= 0) continue;
          for (let i = 0; i < cin; i++) {
            const d =
              out + ((n * h + y0 * sh - g.padTop + ky) * w + x0 * sw - g.padLeft + kx) * cin + i;
            const s = c + ((n * outHeight + y0) * outWidth + x0) * taps + (ky * kw + kx) * cin + i;
            ops.add32(
              4 * d,
              4 * sh * w * cin,
              4 * dStep,
              4 * s,
              4 * outWidth * taps,
              4 * taps,
              rowsIn,
              colsIn,
            );
          }
        }
      }
    }
    return;
  }
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const row = c + (n * outHeight + oy) * outWidth * taps;
      for (let ky = 0; ky < kh; ky++) {
        const y = oy * sh - g.padTop + ky;
        if (y < 0 || y >= h) continue;
        const dRow = out + (n * h + y) * w * cin;
        for (let kx = 0; kx < kw; kx++) {
          const x0 = first[kx] as number;
          const x1 = end[kx] as number;
          let d = dRow + (x0 * sw - g.padLeft + kx) * cin;
          let s = row + x0 * taps + (ky * kw + kx) * cin;
          if (cin === 1) {
            for (let ox = x0; ox < x1; ox++, d += dStep, s += taps) {
              heap[d] = (heap[d] as number) + (heap[s] as number);
            }
          } else {
            for (let ox = x0; ox < x1; ox++, d += dStep, s += taps) {
              for (let i = 0; i < cin; i++)
                heap[d + i] = (heap[d + i] as number) + (heap[s + i] as number);
            }
          }
        }
      }
    }
  }
}

function byColumns(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { batch, inHeight: h, inWidth: w, inChannels: cin, outHeight, outWidth, outChannels } = g;
  const taps = g.filterHeight * g.filterWidth * cin;
  const rows = batch * outHeight * outWidth;
  const dx = allocF32(backend, [batch, h, w, cin]);
  const filterT = allocF32(backend, [outChannels, taps]);
  const cols = allocF32(backend, [rows, taps]);
  try {
    transposeInto(backend, filter, [taps, outChannels], [1, 0], filterT);
    // The compiled product in tiles shared with the helper threads where its 4×8 tiles fit
    // (dcgan's last layer: [12544, 32] · [32, 16]); XNNPACK otherwise. Both sum in k order
    // (the compiled one rounding each term once where it fuses, fusedMultiplyAdd.ts).
    const ops = rows % 4 === 0 && taps % 8 === 0 ? gemmOps(backend) : null;
    if (ops !== null) {
      gemmTiled(backend, ops, {
        a: byteOffset(backend, dy),
        b: byteOffset(backend, filterT),
        out: byteOffset(backend, cols),
        m: rows,
        k: outChannels,
        n: taps,
      });
    } else {
      matMulRows(
        backend,
        idOf(backend, dy),
        rows,
        outChannels,
        idOf(backend, filterT),
        taps,
        idOf(backend, cols),
      );
    }
    scatterColumns(backend, heapF32(backend), f32Offset(backend, cols), f32Offset(backend, dx), g);
  } finally {
    dispose(backend, filterT, cols);
  }
  return dx;
}

export function conv2dBackpropInputInto(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const rowPhases = phasesAlong(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop);
  const colPhases = phasesAlong(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
  const padsFit = [...rowPhases, ...colPhases].every(
    (p) => p.taps === 0 || p.count === 0 || (p.padBefore >= 0 && p.padAfter >= 0),
  );
  if (g.inChannels >= MIN_CHANNELS_FOR_PHASES && padsFit) {
    return byPhases(backend, dy, filter, g, rowPhases, colPhases);
  }
  return byColumns(backend, dy, filter, g);
}

const conv2dBackpropInput: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs;
  if (dy === undefined || filter === undefined || attrs === undefined) {
    throw new Error('Conv2DBackpropInput needs dy, filter and attributes');
  }
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    throw new Error('The studio Conv2DBackpropInput takes float32 tensors only');
  }
  const g = convGeometry(attrs.inputShape as number[], filter.shape, attrs);
  return conv2dBackpropInputInto(wasmBackendOf(backend), dy, filter, g);
};

export function conv2dBackpropInputKernel(): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropInput,
  };
}
