// Tanh through XNNPACK's sigmoid. The stock kernel calls libm's tanh per element (≈ 20 ns each
// here), and tanh is in every LSTM step (gates and cell) and in the GPT's GELU, over [B, T, 4C].
// tanh(x) = 2·σ(2x) − 1, every step an XNNPACK elementwise operator (JS loops are ≈ 5× slower).
// Near 0 this form has an absolute error of about 1e-7 instead of a relative one; the gradient
// code only ever uses tanh at that precision.

import { util, type KernelConfig, type KernelFunc } from '@tensorflow/tfjs';
import { allocF32, idOf, wasmBackendOf } from './wasmHeap';
import { binaryInto, scalarTensor } from './xnnOps';

export function tanhKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || x.dtype !== 'float32') return stock.kernelFunc(args);
    const backend = wasmBackendOf(args.backend);
    const out = allocF32(backend, x.shape);
    if (util.sizeFromShape(x.shape) === 0) return out;
    const two = idOf(backend, scalarTensor(backend, 2));
    const minusOne = idOf(backend, scalarTensor(backend, -1));
    const o = idOf(backend, out);
    const shape = x.shape;
    binaryInto(backend, '_Multiply', idOf(backend, x), shape, two, [1], o); // 2x
    backend.wasm._Sigmoid(o, o); // σ(2x)
    binaryInto(backend, '_Multiply', o, shape, two, [1], o); // 2σ(2x)
    binaryInto(backend, '_Add', o, shape, minusOne, [1], o); // 2σ(2x) − 1
    return out;
  };
  return { ...stock, kernelFunc };
}
