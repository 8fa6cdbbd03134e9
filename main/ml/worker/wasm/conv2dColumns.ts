// Conv2D with few input channels (an image network's first layer: dcgan's discriminator reads
// [64, 28, 28, 1] through a 4×4×1×32 filter, 4 calls a step) as im2col and one compiled product.
//
// XNNPACK's convolution with one input channel runs its micro-kernel over 16 taps of depth 1 per
// output pixel: 0.87 ms a call on one thread for 12.8 MFLOP (15 GFLOP/s), and on two threads of a
// loaded machine it waited for pthreadpool's second thread (1.9 ms a call in profile:train).
// Here colsᵀ [kh·kw·Cin, N·Ho·Wo] (conv2dBackpropFilter.ts builds it for the filter gradient too)
// is read transposed as the left operand of y [N·Ho·Wo, Cout] = cols · W [kh·kw·Cin, Cout], in
// tiles shared with the helper threads (gemmThreads.ts). Each output sums its taps in (ky, kx, ci)
// order from zero, mul then add, padding taps as zeros, as XNNPACK's indirect GEMM does with its
// zero buffer, so the bits agree (scripts/profile/sameLosses.mjs dcgan gemm).

import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs';
import { MAX_CHANNELS_FOR_COLUMNS, transposedColumns } from './conv2dBackpropFilter';
import { conv2dByIm2colInto } from './conv2dIm2col';
import { convGeometry } from './convGeometry';
import { gemmOps } from './gemmSimd';
import { gemmTiled } from './gemmThreads';
import { allocF32, byteOffset, dispose, wasmBackendOf } from './wasmHeap';

/** A dilation attribute that means none. */
const undilated = (d: unknown): boolean =>
  d === undefined || d === 1 || (Array.isArray(d) && d.every((v) => v === 1));

export function conv2dKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs;
    const attrs = args.attrs ?? {};
    if (
      x === undefined ||
      filter === undefined ||
      x.dtype !== 'float32' ||
      filter.dtype !== 'float32' ||
      !undilated(attrs.dilations) ||
      (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC')
    ) {
      return stock.kernelFunc(args);
    }
    const g = convGeometry(x.shape, filter.shape, attrs);
    const positions = g.batch * g.outHeight * g.outWidth;
    const taps = g.filterHeight * g.filterWidth * g.inChannels;
    const backend = wasmBackendOf(args.backend);
    if (g.inChannels > MAX_CHANNELS_FOR_COLUMNS) {
      // Many channels: im2col rows and one product where they fit, else XNNPACK's convolution.
      const out = allocF32(backend, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
      if (conv2dByIm2colInto(backend, x, filter, g, out)) return out;
      dispose(backend, out);
      return stock.kernelFunc(args);
    }
    const ops =
      positions > 0 && positions % 4 === 0 && g.outChannels % 8 === 0 ? gemmOps(backend) : null;
    if (ops === null) return stock.kernelFunc(args);
    const out = allocF32(backend, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
    const colsT = transposedColumns(backend, x, g);
    try {
      gemmTiled(backend, ops, {
        a: byteOffset(backend, colsT),
        b: byteOffset(backend, filter),
        out: byteOffset(backend, out),
        m: positions,
        k: taps,
        n: g.outChannels,
        aRow: 4, // cols[i, p] = colsᵀ[p, i]
        aInner: 4 * positions,
      });
    } finally {
      dispose(backend, colsT);
    }
    return out;
  };
  return { ...stock, kernelFunc };
}
