// The studio's wasm training backend: kernels the stock tfjs wasm backend lacks or runs slowly,
// and the set-up that lets it use every core under Node. main/ml/backend.ts applies both when it
// chooses the wasm backend.

export { productsFuseMultiplyAdd } from './fusedMultiplyAdd';
export { registerStudioWasmKernels } from './registerKernels';
export { prepareWasmThreads, wasmThreadCount, wasmThreadsSupported } from './threads';
