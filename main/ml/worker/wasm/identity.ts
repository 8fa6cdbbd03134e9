// Identity, and Cast to the dtype a tensor already has, without a copy. tfjs calls these for
// clones, for `toFloat()` of float tensors and inside its gradients (≈ 100 per GAN step, ≈ 90 per
// GPT step, many of full activation size); the stock wasm kernels copy every value each time.
// Tensor data is immutable once written, so, as the cpu backend and the wasm Reshape already do,
// the output shares the input's memory and only its reference count goes up.

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { wasmBackendOf } from './wasmHeap';

function share(backend: unknown, x: TensorInfo): TensorInfo {
  wasmBackendOf(backend).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export function identityKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || x.dtype === 'string') return stock.kernelFunc(args);
    return share(args.backend, x);
  };
  return { ...stock, kernelFunc };
}

export function castKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || x.dtype === 'string' || x.dtype !== args.attrs?.dtype) {
      return stock.kernelFunc(args);
    }
    return share(args.backend, x);
  };
  return { ...stock, kernelFunc };
}
