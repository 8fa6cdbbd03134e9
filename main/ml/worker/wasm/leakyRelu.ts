// LeakyReLU, forward and backward, for the GAN's generator and discriminator (ten activations of
// up to 400 k values per step).
//
// Forward: the stock kernel is a scalar loop (≈ 4 ns per value here); XNNPACK's PReLU operator does
// the same arithmetic with SIMD when given a per-channel slope vector filled with α.
//
// Backward: tfjs's gradient is where(x > 0, dy, α·dy), three kernels and a boolean mask, two of
// them (Greater against a scalar, Select) going through the stock kernels' generic broadcasting
// loops. Here one kernel computes it (`StudioLeakyReluGrad`: the compiled Step, x > 0 ? 1 : α,
// times dy through XNNPACK); the gradient is re-registered to use that kernel on the wasm backend
// and tfjs's own gradient everywhere else.

import * as tf from '@tensorflow/tfjs';
import { applyElementwise, applyRows } from './broadcast';
import { allocF32, f32Offset, heapF32, idOf, wasmBackendOf, type WasmBackend } from './wasmHeap';
import { binaryInto } from './xnnOps';

export const LEAKY_RELU_GRAD = 'StudioLeakyReluGrad';

/** The slope vectors XNNPACK's PReLU reads, one per (backend, α, width); tiny and reused. */
const slopes = new WeakMap<WasmBackend, Map<string, tf.TensorInfo>>();

function slopeVector(backend: WasmBackend, alpha: number, width: number): tf.TensorInfo {
  let byKey = slopes.get(backend);
  if (byKey === undefined) {
    byKey = new Map();
    slopes.set(backend, byKey);
  }
  const key = `${alpha}:${width}`;
  let slope = byKey.get(key);
  if (slope === undefined) {
    slope = allocF32(backend, [width]);
    const start = f32Offset(backend, slope);
    heapF32(backend).fill(alpha, start, start + width);
    byKey.set(key, slope);
  }
  return slope;
}

export function leakyReluKernel(stock: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { x } = args.inputs;
    const alpha = args.attrs?.alpha;
    const width = x?.shape[x.shape.length - 1] ?? 0;
    if (x === undefined || x.dtype !== 'float32' || typeof alpha !== 'number' || width === 0) {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    const slope = slopeVector(backend, alpha, width);
    // PReLU's arithmetic and select as compiled rows shared with the helper threads (broadcast.ts).
    const rows = width % 4 === 0 ? applyRows(backend, 'preluRows', x, slope) : null;
    if (rows !== null) return rows;
    const out = allocF32(backend, x.shape);
    if (tf.util.sizeFromShape(x.shape) > 0) {
      backend.wasm._Prelu(idOf(backend, x), idOf(backend, slope), idOf(backend, out));
    }
    return out;
  };
  return { ...stock, kernelFunc };
}

const leakyReluGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, x } = inputs;
  if (dy === undefined || x === undefined || dy.dtype !== 'float32' || x.dtype !== 'float32') {
    throw new Error(`${LEAKY_RELU_GRAD} takes float32 dy and x`);
  }
  const alpha = attrs?.alpha as number;
  const wb = wasmBackendOf(backend);
  const size = tf.util.sizeFromShape(x.shape);
  // (x > 0 ? 1 : α) · dy in one compiled pass shared with the helper threads (broadcast.ts).
  const fused = size % 4 === 0 ? applyElementwise(wb, 'leakyGradRows', x, dy, alpha) : null;
  if (fused !== null) return fused;
  const out = allocF32(wb, x.shape);
  const step = wb.wasm._Step;
  if (step !== undefined && size > 0) {
    // out = step(x) = x > 0 ? 1 : α, then out ·= dy: two compiled passes, ≈ 4× the loop below.
    step.call(wb.wasm, idOf(wb, x), alpha, 0 /* float32 */, idOf(wb, out));
    binaryInto(wb, '_Multiply', idOf(wb, out), [size], idOf(wb, dy), [size], idOf(wb, out));
    return out;
  }
  const heap = heapF32(wb);
  const g = f32Offset(wb, dy);
  const v = f32Offset(wb, x);
  const o = f32Offset(wb, out);
  // Branch-free (x > 0 is random per element, so a branch mispredicts half the time): the
  // coefficient is alpha + (1 − alpha)·[x > 0], with the comparison converted to 0 or 1.
  const rest = 1 - alpha;
  for (let i = 0; i < size; i++) {
    heap[o + i] = (heap[g + i] as number) * (alpha + rest * +((heap[v + i] as number) > 0));
  }
  return out;
};

export function leakyReluGradKernel(): tf.KernelConfig {
  return { kernelName: LEAKY_RELU_GRAD, backendName: 'wasm', kernelFunc: leakyReluGrad };
}

let gradientInstalled = false;

/** Routes LeakyReLU's gradient through `StudioLeakyReluGrad` while the wasm backend is active. */
export function installLeakyReluGradient(): void {
  if (gradientInstalled) return;
  const stock = tf.getGradient('LeakyRelu');
  if (stock === undefined) return;
  tf.registerGradient({
    ...stock,
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      if (
        tf.getBackend() !== 'wasm' ||
        tf.getKernel(LEAKY_RELU_GRAD, 'wasm') === undefined ||
        x === undefined ||
        Array.isArray(dy) ||
        x.shape.join() !== dy.shape.join()
      ) {
        return stock.gradFunc(dy, saved, attrs);
      }
      return {
        x: () =>
          tf
            .engine()
            .runKernel(LEAKY_RELU_GRAD, { dy, x }, { alpha: attrs.alpha as number }) as tf.Tensor,
      };
    },
  });
  gradientInstalled = true;
}
