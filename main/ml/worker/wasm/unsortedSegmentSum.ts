// UnsortedSegmentSum, missing from the wasm backend. tfjs's gradient of gather (embedding lookups
// in the text models) is exactly this op, so without it `tf.gather` cannot be trained on wasm.
//
//   out[s, ...] = Σ_{i : ids[i] = s} x[i, ...]      ids outside [0, numSegments) are dropped (TF)
//
// One pass over the rows of x, adding each into its segment's row: memory-bound, so plain loops
// over the heap are as fast as anything compiled would be at embedding sizes.

import { util, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { f32Offset, heapF32, heapI32, wasmBackendOf } from './wasmHeap';

const unsortedSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  if (x === undefined || segmentIds === undefined) {
    throw new Error('UnsortedSegmentSum needs x and segmentIds');
  }
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum takes float32 or int32 values, got ${x.dtype}`);
  }
  if (segmentIds.dtype !== 'int32') throw new Error('UnsortedSegmentSum takes int32 segment ids');
  const numSegments = attrs?.numSegments as number;
  const wb = wasmBackendOf(backend);
  const rows = util.sizeFromShape(segmentIds.shape);
  const inner = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows;
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const out = wb.makeOutput([numSegments, ...innerShape], x.dtype);
  // int32 and float32 share the 4-byte layout; only the element view differs.
  const heap = x.dtype === 'float32' ? heapF32(wb) : heapI32(wb);
  const ids = heapI32(wb);
  const src = f32Offset(wb, x);
  const dst = f32Offset(wb, out);
  const idBase = f32Offset(wb, segmentIds);
  heap.fill(0, dst, dst + numSegments * inner);
  for (let i = 0; i < rows; i++) {
    const segment = ids[idBase + i] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const d = dst + segment * inner;
    const s = src + i * inner;
    for (let j = 0; j < inner; j++) heap[d + j] = (heap[d + j] as number) + (heap[s + j] as number);
  }
  return out;
};

export function unsortedSegmentSumKernel(): KernelConfig {
  return { kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSum };
}
