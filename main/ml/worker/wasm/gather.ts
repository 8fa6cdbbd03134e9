// GatherV2 as row copies. The stock wrapper reads the indices back and then runs a compiled loop
// that computes a source index per element; gathering one time step [1, B·F] out of an RNN's
// [T, B·F] tensor took ≈ 1 ms for 32 k values. Each gathered slice is contiguous in memory, so it
// is one memmove (or a short loop) here.

import { backend_util, util, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { byteOffset, heapI32, heapU8, wasmBackendOf } from './wasmHeap';

const MEMMOVE_RUN = 48;

export function gatherV2Kernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x, indices } = args.inputs;
    const bytes = x?.dtype === 'float32' || x?.dtype === 'int32' ? 4 : x?.dtype === 'bool' ? 1 : 0;
    if (x === undefined || indices === undefined || indices.dtype !== 'int32' || bytes === 0) {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    const axis = util.parseAxisParam(args.attrs?.axis as number, x.shape)[0] ?? 0;
    const batchDims = (args.attrs?.batchDims as number | undefined) ?? 0;
    const info = backend_util.segment_util.collectGatherOpShapeInfo(x, indices, axis, batchDims);
    const { batchSize, outerSize, dimSize, sliceSize } = info;
    const count = util.sizeFromShape(indices.shape);
    const perBatch = batchSize === 0 ? 0 : count / batchSize;
    const out = backend.makeOutput(info.outputShape, x.dtype as 'float32' | 'int32' | 'bool');
    if (util.sizeFromShape(info.outputShape) === 0) return out;

    const ids = heapI32(backend);
    const idBase = byteOffset(backend, indices) >>> 2;
    for (let i = 0; i < count; i++) {
      const index = ids[idBase + i] as number;
      if (!(index >= 0 && index < dimSize)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${index} is not in [0, ${dimSize - 1}]`);
      }
    }
    const heap = bytes === 4 ? heapI32(backend) : heapU8(backend);
    const scale = bytes === 4 ? 2 : 0; // byte offset → element index
    const src = byteOffset(backend, x) >>> scale;
    let to = byteOffset(backend, out) >>> scale;
    for (let b = 0; b < batchSize; b++) {
      for (let o = 0; o < outerSize; o++) {
        const block = src + (b * outerSize + o) * dimSize * sliceSize;
        for (let i = 0; i < perBatch; i++, to += sliceSize) {
          const from = block + (ids[idBase + b * perBatch + i] as number) * sliceSize;
          if (sliceSize >= MEMMOVE_RUN) heap.copyWithin(to, from, from + sliceSize);
          else for (let k = 0; k < sliceSize; k++) heap[to + k] = heap[from + k] as number;
        }
      }
    }
    return out;
  };
  return { ...stock, kernelFunc };
}
