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
 * Bytes of cols built at a time: a batch whose cols would be larger goes a chunk of examples at a
 * time (64 px images with 64 channels and a 4×4 filter would need 268 MB at batch 64), each chunk
 * continuing the same sums, so the values do not depend on the chunking.
 */
const MAX_COLS_BYTES = 1 << 25;
let maxColsBytes = MAX_COLS_BYTES;

/** Tests shrink the chunks to check that chunking leaves every value as it is; null resets. */
export function setIm2colChunkBytes(bytes: number | null): void {
  maxColsBytes = bytes ?? MAX_COLS_BYTES;
}

/** Examples per chunk: cols under maxColsBytes, and every chunk's rows a multiple of 4. */
function examplesPerChunk(g: ConvGeometry): number {
  const perExample = g.outHeight * g.outWidth;
  const bytes = 4 * perExample * g.filterHeight * g.filterWidth * g.inChannels;
  const step = perExample % 4 === 0 ? 1 : perExample % 2 === 0 ? 2 : 4;
  const fit = Math.floor(maxColsBytes / bytes);
  return Math.min(g.batch, Math.max(step, fit - (fit % step)));
}

/**
 * Runs `each(cols, from, count)` for every chunk of examples [from, from + count) in order, cols
 * [count·Ho·Wo, kh·kw·Cin] of those examples of x under g (row (n, oy, ox): its taps in (ky, kx,
 * ci) order, zeros in the padding), built one example an item shared with the helper threads.
 * False (nothing run) where the compiled im2col cannot run.
 */
function byChunks(
  backend: WasmBackend,
  x: TensorInfo,
  g: ConvGeometry,
  each: (cols: number, from: number, count: number) => void,
): boolean {
  const ops = im2colOps(backend);
  if (ops === null) return false;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const perExample = g.outHeight * g.outWidth;
  const chunk = examplesPerChunk(g);
  const inputStep = 4 * g.inHeight * g.inWidth * g.inChannels;
  const cols = allocF32(backend, [chunk * perExample, taps]);
  try {
    for (let from = 0; from < g.batch; from += chunk) {
      const count = Math.min(chunk, g.batch - from);
      runTeamBatch(backend, ops.im2col, {
        fn: 'im2col',
        ints: [
          { base: byteOffset(backend, cols), step: 4 * perExample * taps },
          { base: byteOffset(backend, x) + from * inputStep, step: inputStep },
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
        batch: count,
        chunk: 1,
      });
      each(byteOffset(backend, cols), from, count);
    }
  } finally {
    dispose(backend, cols);
  }
  return true;
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
  if (ops === null) return false;
  const perExample = g.outHeight * g.outWidth;
  return byChunks(backend, x, g, (cols, from, count) =>
    gemmTiled(backend, ops, {
      a: cols,
      b: byteOffset(backend, filter),
      out: byteOffset(backend, out) + 4 * from * perExample * g.outChannels,
      m: count * perExample,
      k: g.filterHeight * g.filterWidth * g.inChannels,
      n: g.outChannels,
    }),
  );
}

/**
 * dW [kh·kw·Cin, Cout] = colsᵀ · dy, cols read transposed, one product of depth N·Ho·Wo (a chunk
 * of examples after another continuing each sum, in position order). False (nothing written)
 * where it does not fit or cannot run.
 */
export function filterGradientByIm2colInto(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
  dw: TensorInfo,
): boolean {
  const ops = im2colFits(g) ? gemmOps(backend) : null;
  if (ops === null) return false;
  const taps = g.filterHeight * g.filterWidth * g.inChannels;
  const perExample = g.outHeight * g.outWidth;
  return byChunks(backend, x, g, (cols, from, count) =>
    gemmTiled(backend, ops, {
      a: cols,
      b: byteOffset(backend, dy) + 4 * from * perExample * g.outChannels,
      out: byteOffset(backend, dw),
      m: taps,
      k: count * perExample,
      n: g.outChannels,
      aRow: 4, // colsᵀ[i, p] = cols[p, i]
      aInner: 4 * taps,
      accumulate: from > 0,
    }),
  );
}
