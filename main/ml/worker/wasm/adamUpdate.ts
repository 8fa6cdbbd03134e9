// The optimiser's update as one kernel per parameter, and the global gradient norm as one kernel
// per step. Op by op, Adam takes about 14 small kernels per parameter tensor (and a scalar upload
// per constant): over half of char-GPT's kernels per step, a fifth of dcgan's. Here each is one
// pass over the heap, reading param, m, v and the gradient and writing the three new tensors.
//
// StudioAdamUpdate: inputs param, m, v, grad and optionally clipScale (a float32 scalar);
// attrs beta1, beta2, epsilon, decayFactor (1 − lr·wd, or 1), correction2 (√(1−β2ᵗ)) and
// stepSize (lr / (1−β1ᵗ)); outputs [param, m, v]:
//   g = grad·clipScale; m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²
//   param = param·decayFactor − (m / (√v / correction2 + ε))·stepSize
// Every operation is rounded to float32 in the order of the op-by-op path (optimizer.ts), and
// every constant is rounded to float32 as a scalar tensor of it would be, so the results are the
// same to the bit as that path's on an IEEE backend (the kernel test checks it against cpu).
//
// StudioGlobalNorm: inputs any number of float32 tensors (the gradients); output the scalar
// √(Σ x²) over all of them, each square in float32, summed in double (the op path sums in
// float32, so the two differ by float32 rounding only).
//
// Both run as compiled f32x4 loops (adamSimd.ts) over whole vectors of 4 and JS loops over the
// rest, or over everything where the module cannot be built.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import { adamOps } from './adamSimd';
import { f32Offset, heapF32, wasmBackendOf } from './wasmHeap';

export const ADAM_UPDATE = 'StudioAdamUpdate';
export const GLOBAL_NORM = 'StudioGlobalNorm';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  decayFactor: number;
  correction2: number;
  stepSize: number;
}

const f = Math.fround;

/** The update's constants, each rounded to float32 as a scalar tensor of it would be. */
interface Constants {
  beta1: number;
  beta2: number;
  oneMinusBeta1: number;
  oneMinusBeta2: number;
  epsilon: number;
  decayFactor: number;
  correction2: number;
  stepSize: number;
}

/** The update for `count` values at float indices p0…vOut of `heap`: the JS form of the module. */
function updateLoop(
  heap: Float32Array,
  [p0, m0, v0, g0, pOut, mOut, vOut]: readonly number[],
  count: number,
  scale: number,
  c: Constants,
): void {
  for (let i = 0; i < count; i++) {
    const g = f((heap[(g0 as number) + i] as number) * scale);
    const mi = f(f((heap[(m0 as number) + i] as number) * c.beta1) + f(g * c.oneMinusBeta1));
    const vi = f(f((heap[(v0 as number) + i] as number) * c.beta2) + f(f(g * g) * c.oneMinusBeta2));
    const denominator = f(f(f(Math.sqrt(vi)) / c.correction2) + c.epsilon);
    const decayed = f((heap[(p0 as number) + i] as number) * c.decayFactor);
    heap[(pOut as number) + i] = decayed - f(f(mi / denominator) * c.stepSize);
    heap[(mOut as number) + i] = mi;
    heap[(vOut as number) + i] = vi;
  }
}

const adamUpdate: KernelFunc = ({ inputs, backend, attrs }) => {
  const { param, m, v, grad, clipScale } = inputs;
  if (param === undefined || m === undefined || v === undefined || grad === undefined) {
    throw new Error(`${ADAM_UPDATE} needs param, m, v and grad`);
  }
  const size = util.sizeFromShape(param.shape);
  for (const t of [param, m, v, grad, ...(clipScale === undefined ? [] : [clipScale])]) {
    if (t.dtype !== 'float32') throw new Error(`${ADAM_UPDATE} takes float32 tensors`);
  }
  for (const t of [m, v, grad]) {
    if (util.sizeFromShape(t.shape) !== size) {
      throw new Error(`${ADAM_UPDATE}: shapes ${String(t.shape)} and ${String(param.shape)}`);
    }
  }
  const a = attrs as unknown as AdamUpdateAttrs;
  const wb = wasmBackendOf(backend);
  const outputs = [0, 1, 2].map(() => wb.makeOutput(param.shape, 'float32'));
  const heap = heapF32(wb); // after the allocations, which may grow the memory
  // Without clipping the gradient is multiplied by 1, which changes no value.
  const scale = clipScale === undefined ? 1 : (heap[f32Offset(wb, clipScale)] as number);
  const c: Constants = {
    beta1: f(a.beta1),
    beta2: f(a.beta2),
    oneMinusBeta1: f(1 - a.beta1),
    oneMinusBeta2: f(1 - a.beta2),
    epsilon: f(a.epsilon),
    decayFactor: f(a.decayFactor),
    correction2: f(a.correction2),
    stepSize: f(a.stepSize),
  };
  const at = [param, m, v, grad, ...outputs].map((t) => f32Offset(wb, t));
  const ops = adamOps(wb);
  // The compiled loop takes whole vectors of 4; the JS loop the rest (or all, without SIMD).
  const vectors = ops === null ? 0 : size & ~3;
  if (ops !== null && vectors > 0) {
    ops.update(
      ...at.map((i) => i * 4),
      vectors * 4,
      scale,
      c.beta1,
      c.beta2,
      c.oneMinusBeta1,
      c.oneMinusBeta2,
      c.epsilon,
      c.decayFactor,
      c.correction2,
      c.stepSize,
    );
  }
  updateLoop(
    heap,
    at.map((i) => i + vectors),
    size - vectors,
    scale,
    c,
  );
  return outputs;
};

const globalNorm: KernelFunc = ({ inputs, backend }) => {
  const list = inputs as unknown as TensorInfo[];
  const wb = wasmBackendOf(backend);
  const out = wb.makeOutput([], 'float32');
  const heap = heapF32(wb);
  const ops = adamOps(wb);
  let sum = 0;
  for (const t of list) {
    if (t.dtype !== 'float32') throw new Error(`${GLOBAL_NORM} takes float32 tensors`);
    const size = util.sizeFromShape(t.shape);
    const start = f32Offset(wb, t);
    const vectors = ops === null ? 0 : size & ~3;
    if (ops !== null && vectors > 0) sum += ops.sumSquares(start * 4, vectors * 4);
    for (let i = start + vectors; i < start + size; i++) {
      const x = heap[i] as number;
      sum += f(x * x);
    }
  }
  heap[f32Offset(wb, out)] = Math.sqrt(sum);
  return out;
};

export function adamUpdateKernel(): KernelConfig {
  return { kernelName: ADAM_UPDATE, backendName: 'wasm', kernelFunc: adamUpdate };
}

export function globalNormKernel(): KernelConfig {
  return { kernelName: GLOBAL_NORM, backendName: 'wasm', kernelFunc: globalNorm };
}
