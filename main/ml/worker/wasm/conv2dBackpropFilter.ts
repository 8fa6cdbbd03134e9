// Conv2DBackpropFilter, which the wasm backend does not have at all (so no conv net could train).
//
//   dW[ky, kx, ci, co] = Σ_{n, Y, X} x[n, sY + ky − pt, sX + kx − pl, ci] · dy[n, Y, X, co]
//
// is itself a convolution once the batch axis is moved into the channels: treat x as Cin images
// xᵀ [Cin, H, W, N] of N channels, and dy as a filter dyᵀ [Ho, Wo, N, Cout] whose taps are spaced
// by the forward stride (a dilated filter). XNNPACK then computes [Cin, kh, kw, Cout] as one
// GEMM of depth Ho·Wo·N, at the speed of a forward convolution; the three transposes around it are
// plain copies of the tensors involved.
//
// With few input channels (an image network's first layer) that convolution has only Cin images
// of kh·kw outputs each, and XNNPACK spends more time setting it up than computing. Then the
// transposed im2col matrix is built directly, colsᵀ [kh·kw·Cin, N·Ho·Wo] (kh·kw·Cin·N·Ho·Wo values,
// no more than dy holds when Cin is small), and dW [kh·kw·Cin, Cout] = colsᵀ · dy is one matrix
// product whose rows are already dW's layout. That product goes to the compiled f32x4 GEMM
// (gemmSimd.ts) when its tiles fit: XNNPACK would pack all of dy (its right-hand operand, N·Ho·Wo·Cout
// values, fresh every call) before a product of only kh·kw·Cin rows, and the packing costs 3–4×
// the arithmetic (dcgan's first layer, one thread: 1.73 ms CPU through XNNPACK, 0.37 ms of it the
// product; 0.48 ms compiled). Both sum each output in p order, mul then add, so the values agree.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { filterGradientByIm2colInto } from './conv2dIm2col';
import { convGeometry, type ConvGeometry } from './convGeometry';
import { gemmOps } from './gemmSimd';
import { gemmTiled } from './gemmThreads';
import { stridedOps } from './stridedCopy';
import { transposeInto } from './transpose';
import { conv2dInto, matMulRows } from './xnnOps';
import {
  allocF32,
  dispose,
  f32Offset,
  heapF32,
  idOf,
  registerView,
  releaseView,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

/**
 * x as [Cin, Hc, Wc, N]: Hc × Wc is the part of x some output reads. Rows past it (a 'valid'
 * convolution whose stride does not divide the input) would need a negative pad, which XNNPACK does
 * not take, so they are left out of the copy instead.
 */
function channelsMajorInput(
  backend: WasmBackend,
  x: TensorInfo,
  g: ConvGeometry,
  usedHeight: number,
  usedWidth: number,
): TensorInfo {
  const { batch, inHeight, inWidth, inChannels } = g;
  const out = allocF32(backend, [inChannels, usedHeight, usedWidth, batch]);
  if (usedHeight === inHeight && usedWidth === inWidth) {
    transposeInto(backend, x, [batch, inHeight, inWidth, inChannels], [3, 1, 2, 0], out);
    return out;
  }
  const heap = heapF32(backend);
  const src = f32Offset(backend, x);
  const dst = f32Offset(backend, out);
  for (let c = 0; c < inChannels; c++) {
    for (let row = 0; row < usedHeight; row++) {
      for (let col = 0; col < usedWidth; col++) {
        const o = dst + ((c * usedHeight + row) * usedWidth + col) * batch;
        let i = src + (row * inWidth + col) * inChannels + c;
        const step = inHeight * inWidth * inChannels;
        for (let n = 0; n < batch; n++, i += step) heap[o + n] = heap[i] as number;
      }
    }
  }
  return out;
}

/**
 * Up to this many input channels, dW is colsᵀ · dy (see the top). Measured with one thread, batch
 * 64: 28×28×1 → 14×14×32 (the reference dcgan's first layer) 1.8 ms instead of 3.3 ms, 32×32×3 →
 * 16×16×64 4.5 ms instead of 18.8 ms; at 8 channels the two ways take the same time.
 */
export const MAX_CHANNELS_FOR_COLUMNS = 4;

/**
 * colsᵀ [kh·kw·Cin, N·Ho·Wo]: row (ky, kx, ci) holds x at that tap for every output position
 * (0 where the tap falls in the padding). Also the forward convolution's (conv2dColumns.ts).
 */
export function transposedColumns(
  backend: WasmBackend,
  x: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { batch, inHeight: h, inWidth: w, inChannels: cin, outHeight, outWidth } = g;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = g;
  const positions = batch * outHeight * outWidth;
  const colsT = allocF32(backend, [kh * kw * cin, positions]);
  const heap = heapF32(backend);
  const src = f32Offset(backend, x);
  let o = f32Offset(backend, colsT);
  const ops = stridedOps(backend);
  if (ops !== null) {
    // Zeros for the taps that fall in the padding, then per tap, channel and example one grid of
    // the output rows and columns whose input lies inside x.
    heap.fill(0, o, o + kh * kw * cin * positions);
    for (let ky = 0; ky < kh; ky++) {
      const yShift = ky - g.padTop;
      const y0 = Math.min(outHeight, Math.max(0, Math.ceil(-yShift / sh)));
      const y1 = Math.max(y0, Math.min(outHeight, Math.ceil((h - yShift) / sh)));
      for (let kx = 0; kx < kw; kx++) {
        const xShift = kx - g.padLeft;
        const x0 = Math.min(outWidth, Math.max(0, Math.ceil(-xShift / sw)));
        const x1 = Math.max(x0, Math.min(outWidth, Math.ceil((w - xShift) / sw)));
        if (y1 <= y0 || x1 <= x0) {
          o += cin * positions;
          continue;
        }
        for (let ci = 0; ci < cin; ci++, o += positions) {
          for (let n = 0; n < batch; n++) {
            const d = o + (n * outHeight + y0) * outWidth + x0;
            const s = src + ((n * h + y0 * sh + yShift) * w + x0 * sw + xShift) * cin + ci;
            ops.copy32(
              4 * d,
              4 * outWidth,
              4,
              4 * s,
              4 * sh * w * cin,
              4 * sw * cin,
              y1 - y0,
              x1 - x0,
            );
          }
        }
      }
    }
    return colsT;
  }
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      // Output columns X whose input column sw·X + kx − padLeft lies inside x: [x0, x1).
      const shift = kx - g.padLeft;
      const x0 = Math.min(outWidth, Math.max(0, Math.ceil(-shift / sw)));
      const x1 = Math.max(x0, Math.min(outWidth, Math.ceil((w - shift) / sw)));
      for (let ci = 0; ci < cin; ci++) {
        for (let n = 0; n < batch; n++) {
          for (let oy = 0; oy < outHeight; oy++) {
            const iy = oy * sh + ky - g.padTop;
            if (iy < 0 || iy >= h) {
              heap.fill(0, o, o + outWidth);
              o += outWidth;
              continue;
            }
            heap.fill(0, o, o + x0);
            o += x0;
            let i = src + ((n * h + iy) * w + x0 * sw + shift) * cin + ci;
            const step = sw * cin;
            for (let ox = x0; ox < x1; ox++, i += step) heap[o++] = heap[i] as number;
            heap.fill(0, o, o + outWidth - x1);
            o += outWidth - x1;
          }
        }
      }
    }
  }
  return colsT;
}

function byColumns(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  dw: TensorInfo,
): void {
  const positions = g.batch * g.outHeight * g.outWidth;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const colsT = transposedColumns(backend, x, g);
  // The compiled product's 4×8 tiles: rows a multiple of 4, columns of 8.
  const compiled = taps % 4 === 0 && g.outChannels % 8 === 0 ? gemmOps(backend) : null;
  if (compiled !== null) {
    try {
      // In tiles of dW shared with the helper threads: each the same call over all positions.
      gemmTiled(backend, compiled, {
        a: 4 * f32Offset(backend, colsT),
        b: 4 * f32Offset(backend, dy),
        out: 4 * f32Offset(backend, dw),
        m: taps,
        k: positions,
        n: g.outChannels,
      });
    } finally {
      dispose(backend, colsT);
    }
    return;
  }
  // dy through a view id: XNNPACK keeps a packed copy of its right-hand operand until that id is
  // freed, and dy (the larger operand, e.g. 16 MB at 64 px) lives until the backward pass ends.
  const dyView = registerView(backend, f32Offset(backend, dy), positions * g.outChannels);
  try {
    matMulRows(
      backend,
      idOf(backend, colsT),
      taps,
      positions,
      dyView,
      g.outChannels,
      idOf(backend, dw),
    );
  } finally {
    releaseView(backend, dyView);
    dispose(backend, colsT);
  }
}

export function conv2dBackpropFilterInto(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { batch, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  const { strideHeight, strideWidth, padTop, padLeft } = g;
  const dw = allocF32(backend, [filterHeight, filterWidth, inChannels, outChannels]);
  if (batch * outHeight * outWidth === 0) {
    const start = f32Offset(backend, dw);
    heapF32(backend).fill(0, start, start + filterHeight * filterWidth * inChannels * outChannels);
    return dw;
  }
  if (inChannels <= MAX_CHANNELS_FOR_COLUMNS) {
    byColumns(backend, x, dy, g, dw);
    return dw;
  }
  // Many channels: colsᵀ · dy over the compiled im2col (conv2dIm2col.ts), where it fits.
  if (filterGradientByIm2colInto(backend, x, dy, g, dw)) return dw;
  // Extent of x the dilated dy filter covers from the top-left pad onwards.
  const spanHeight = (outHeight - 1) * strideHeight + filterHeight - padTop;
  const spanWidth = (outWidth - 1) * strideWidth + filterWidth - padLeft;
  const usedHeight = Math.min(g.inHeight, spanHeight);
  const usedWidth = Math.min(g.inWidth, spanWidth);

  const xT = channelsMajorInput(backend, x, g, usedHeight, usedWidth); // [Cin, Hc, Wc, N]
  const dyT = allocF32(backend, [outHeight, outWidth, batch, outChannels]);
  const products = allocF32(backend, [inChannels, filterHeight, filterWidth, outChannels]);
  try {
    transposeInto(backend, dy, [batch, outHeight, outWidth, outChannels], [1, 2, 0, 3], dyT);
    conv2dInto(backend, {
      xId: idOf(backend, xT),
      batch: inChannels,
      inHeight: usedHeight,
      inWidth: usedWidth,
      inChannels: batch,
      filterId: idOf(backend, dyT),
      filterHeight: outHeight,
      filterWidth: outWidth,
      outChannels,
      padTop,
      padBottom: spanHeight - usedHeight,
      padLeft,
      padRight: spanWidth - usedWidth,
      strideHeight: 1,
      strideWidth: 1,
      dilationHeight: strideHeight,
      dilationWidth: strideWidth,
      outId: idOf(backend, products),
    });
    transposeInto(
      backend,
      products,
      [inChannels, filterHeight, filterWidth, outChannels],
      [1, 2, 0, 3],
      dw,
    );
  } finally {
    dispose(backend, xT, dyT, products);
  }
  return dw;
}

const conv2dBackpropFilter: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs;
  if (x === undefined || dy === undefined || attrs === undefined) {
    throw new Error('Conv2DBackpropFilter needs x, dy and attributes');
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error('The studio Conv2DBackpropFilter takes float32 tensors only');
  }
  const g = convGeometry(x.shape, attrs.filterShape as number[], attrs);
  return conv2dBackpropFilterInto(wasmBackendOf(backend), x, dy, g);
};

export function conv2dBackpropFilterKernel(): KernelConfig {
  return {
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: conv2dBackpropFilter,
  };
}
