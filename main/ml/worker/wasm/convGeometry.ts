// The numbers of a 2-D convolution the studio's gradient kernels work from, decoded once from a
// kernel's attributes by tfjs's own rules (so 'same', 'valid', explicit pads and rounding modes
// mean exactly what they mean in tfjs's forward conv2d).

import { backend_util, type NamedAttrMap } from '@tensorflow/tfjs';

export interface ConvGeometry {
  batch: number;
  /** The forward convolution's input x [batch, inHeight, inWidth, inChannels]. */
  inHeight: number;
  inWidth: number;
  inChannels: number;
  /** Its output y (or the incoming gradient dy) [batch, outHeight, outWidth, outChannels]. */
  outHeight: number;
  outWidth: number;
  outChannels: number;
  /** Filter [filterHeight, filterWidth, inChannels, outChannels]. */
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

type Shape4 = [number, number, number, number];
type Pad = Parameters<typeof backend_util.computeConv2DInfo>[4];
type Rounding = Parameters<typeof backend_util.computeConv2DInfo>[5];

/** Geometry of the forward convolution x [inShape] ⊛ filter [filterShape] under `attrs`. */
export function convGeometry(
  inShape: readonly number[],
  filterShape: readonly number[],
  attrs: NamedAttrMap,
): ConvGeometry {
  if (attrs.dataFormat !== undefined && attrs.dataFormat !== 'NHWC') {
    throw new Error('The studio wasm convolution kernels take NHWC tensors only');
  }
  const info = backend_util.computeConv2DInfo(
    [...inShape] as Shape4,
    [...filterShape] as Shape4,
    attrs.strides as number | [number, number],
    1,
    attrs.pad as Pad,
    attrs.dimRoundingMode as Rounding,
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}
