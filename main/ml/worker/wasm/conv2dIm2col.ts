// Convolutions with many input channels as im2col and one compiled product: the forward
// convolution (conv2dColumns.ts), its filter gradient (conv2dBackpropFilter.ts) and the sub-pixel
// phases of its input gradient (conv2dBackpropInput.ts).
//
// XNNPACK's wasm convolution multiplies then adds; the compiled product (gemmSimd.ts) fuses the
// two where the engine has relaxed SIMD, and in tiles shared with the helper threads
// (gemmThreads.ts). cols [N·Ho·Wo, kh·kw·Cin] costs one write and one read of its size (6.4 MB
// for dcgan's 14×14×32 → 7×7×64), less than the product gains: that convolution forward took
// 4.0 ms through XNNPACK and 2.4–3.8 ms here on a noisy 2-core AMD EPYC (scratch timing of
// tf.conv2d, 2 threads). Each output sums its taps in (ky, kx, ci) order from zero, as XNNPACK's
// indirect GEMM does, so unfused the forward values are XNNPACK's.

import type { TensorInfo } from '@tensorflow/tfjs';
import type { ConvGeometry } from './convGeometry';
import { gemmOps } from './gemmSimd';
import { gemmTiled } from './gemmThreads';
import { im2colOps } from './im2colSimd';
import { runTeamBatch } from './team';
import { allocF32, byteOffset, dispose, type WasmBackend } from './wasmHeap';

/**
 * From this many input channels (a multiple of 4) a convolution goes through the compiled im2col
 * (im2colSimd.ts) and the compiled product instead of XNNPACK: each tap is then a run of at least
 * 16 bytes, and the product fuses its multiply-adds where XNNPACK's wasm build cannot.
 */
export const MIN_CHANNELS_FOR_IM2COL = 8;

/**
 * Whether a convolution of geometry g goes as cols · W: the channels above, and the product's
 * 4×8 tiles (rows a multiple of 4, columns of 8).
 */
export function im2colFits(g: ConvGeometry): boolean {
  const positions = g.batch * g.outHeight * g.outWidth;
  return (
    g.inChannels >= MIN_CHANNELS_FOR_IM2COL &&
    g.inChannels % 4 === 0 &&
    positions > 0 &&
    positions % 4 === 0 &&
    g.outChannels % 8 === 0
  );
}

/**
 * cols [N·Ho·Wo, kh·kw·Cin] of x under g (row (n, oy, ox): its taps in (ky, kx, ci) order, zeros
 * in the padding), one example an item shared with the helper threads; null where the compiled
 * im2col cannot run.
 */
export function im2colOf(backend: WasmBackend, x: TensorInfo, g: ConvGeometry): TensorInfo | null {
  const ops = im2colOps(backend);
  if (ops === null) return null;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const perExample = g.outHeight * g.outWidth;
  const cols = allocF32(backend, [g.batch * perExample, taps]);
  runTeamBatch(backend, ops.im2col, {
    fn: 'im2col',
    ints: [
      { base: byteOffset(backend, cols), step: 4 * perExample * taps },
      { base: byteOffset(backend, x), step: 4 * g.inHeight * g.inWidth * g.inChannels },
      g.inHeight,
      g.inWidth,
      4 * g.inChannels,
      g.outHeight,
      g.outWidth,
      g.filterHeight,
      g.filterWidth,
      g.strideHeight,
      g.strideWidth,
      g.padTop,
      g.padLeft,
    ],
    batch: g.batch,
    chunk: 1,
  });
  return cols;
}

/**
 * out [N, Ho, Wo, Cout] = x ⊛ filter [kh, kw, Cin, Cout] as cols · W, W the filter read as
 * [kh·kw·Cin, Cout]: each output sums its taps in (ky, kx, ci) order from zero, XNNPACK's order.
 * False (nothing written) where it does not fit (im2colFits) or cannot run.
 */
export function conv2dByIm2colInto(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
  out: TensorInfo,
): boolean {
  const ops = im2colFits(g) ? gemmOps(backend) : null;
  const cols = ops === null ? null : im2colOf(backend, x, g);
  if (ops === null || cols === null) return false;
  try {
    gemmTiled(backend, ops, {
      a: byteOffset(backend, cols),
      b: byteOffset(backend, filter),
      out: byteOffset(backend, out),
      m: g.batch * g.outHeight * g.outWidth,
      k: g.filterHeight * g.filterWidth * g.inChannels,
      n: g.outChannels,
    });
  } finally {
    dispose(backend, cols);
  }
  return true;
}
