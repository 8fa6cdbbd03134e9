// Direct access to the tfjs wasm backend's heap for the studio's training kernels. The kernels keep
// the heavy arithmetic inside the backend's own XNNPACK operators (matrix products, convolutions)
// and use this module for what tfjs does not expose: tensors registered at an offset inside
// another tensor's memory (zero-copy views, so one large buffer can feed many small XNNPACK calls),
// raw calls to the compiled entry points with shapes written to a scratch area, and typed-array
// windows on the heap for the cheap data movement in between (interleaves, scatters).
//
// Nothing here is public tfjs API: the shape of BackendWasm is checked once, when the kernels are
// registered (`asWasmBackend`), so a tfjs upgrade that changes it fails loudly at start-up instead
// of corrupting memory in the middle of a run.

import type { DataId, TensorInfo } from '@tensorflow/tfjs';

/** The parts of the Emscripten module inside BackendWasm that the kernels call. */
export interface WasmModule {
  HEAPU8: Uint8Array;
  HEAPF32: Float32Array;
  HEAP32: Int32Array;
  /** Present in the threaded build: the shared memory, whose buffer outlives a grown HEAPU8. */
  wasmMemory?: WebAssembly.Memory;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  tfjs: {
    registerTensor(id: number, size: number, memoryOffset: number): void;
    disposeData(id: number): void;
    getThreadsCount(): number;
  };
  // The compiled kernels, called with tensor ids and plain numbers (shapes go through `scratch`).
  __FusedMatMul(...args: number[]): void;
  _FusedConv2D(...args: number[]): void;
  _Prelu(xId: number, weightsId: number, outId: number): void;
  _Sigmoid(xId: number, outId: number): void;
  _Multiply(...args: number[]): void;
  _Add(...args: number[]): void;
  /** Optional: checked where used, so an older build only loses the fast path. */
  _AvgPool?(...args: number[]): void;
  _Step?(xId: number, alpha: number, dtype: number, outId: number): void;
  _Transpose?(...args: number[]): void;
}

interface TensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
}

/** The parts of tfjs-backend-wasm's BackendWasm that the kernels use. */
export interface WasmBackend {
  wasm: WasmModule;
  incRef(dataId: DataId): void;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: DataId): TensorData | undefined };
  makeOutput(shape: number[], dtype: 'float32' | 'int32' | 'bool'): TensorInfo;
  disposeData(dataId: DataId, force?: boolean): boolean;
}

const REQUIRED_EXPORTS = [
  '_malloc',
  '_free',
  '__FusedMatMul',
  '_FusedConv2D',
  '_Prelu',
  '_Sigmoid',
  '_Multiply',
  '_Add',
] as const;

/** Checks that `backend` is the wasm backend these kernels were written against. */
export function asWasmBackend(backend: unknown): WasmBackend {
  const problem = (what: string) =>
    new Error(`The tfjs wasm backend does not look as the studio kernels expect: ${what}`);
  if (typeof backend !== 'object' || backend === null) throw problem('no backend object');
  const candidate = backend as Partial<Record<keyof WasmBackend, unknown>>;
  if (typeof candidate.dataIdNextNumber !== 'number') throw problem('no dataIdNextNumber');
  if (typeof candidate.makeOutput !== 'function') throw problem('no makeOutput');
  if (typeof candidate.disposeData !== 'function') throw problem('no disposeData');
  if (typeof candidate.incRef !== 'function') throw problem('no incRef');
  const map = candidate.dataIdMap as { get?: unknown } | undefined;
  if (typeof map?.get !== 'function') throw problem('no dataIdMap');
  const wasm = candidate.wasm as Partial<Record<string, unknown>> | undefined;
  if (wasm === undefined || !(wasm.HEAPU8 instanceof Uint8Array)) throw problem('no heap');
  for (const name of REQUIRED_EXPORTS) {
    if (typeof wasm[name] !== 'function') throw problem(`no export ${name}`);
  }
  const tfjs = wasm.tfjs as Partial<Record<string, unknown>> | undefined;
  if (typeof tfjs?.registerTensor !== 'function' || typeof tfjs.disposeData !== 'function') {
    throw problem('no registerTensor/disposeData');
  }
  return backend as WasmBackend;
}

const checked = new WeakSet<object>();

/** `asWasmBackend` for the backend a kernel is called with, checked once per backend object. */
export function wasmBackendOf(backend: unknown): WasmBackend {
  if (typeof backend === 'object' && backend !== null && checked.has(backend)) {
    return backend as WasmBackend;
  }
  const wasmBackend = asWasmBackend(backend);
  checked.add(wasmBackend);
  return wasmBackend;
}

/** The backend's record of a tensor; throws for a tensor that lives elsewhere. */
function dataOf(backend: WasmBackend, info: TensorInfo): TensorData {
  const data = backend.dataIdMap.get(info.dataId);
  if (data === undefined) throw new Error('Tensor data is not on the wasm backend');
  return data;
}

/** The id the compiled kernels know a tensor by. */
export function idOf(backend: WasmBackend, info: TensorInfo): number {
  return dataOf(backend, info).id;
}

/** Index of a 4-byte (float32 or int32) tensor's first element in `heapF32` / `heapI32`. */
export function f32Offset(backend: WasmBackend, info: TensorInfo): number {
  return dataOf(backend, info).memoryOffset >>> 2;
}

/** Address of a tensor's first byte in `heapU8`. */
export function byteOffset(backend: WasmBackend, info: TensorInfo): number {
  return dataOf(backend, info).memoryOffset;
}

/**
 * The whole heap as float32. Take it after every allocation of the kernel: a malloc may grow the
 * memory, which detaches (single-threaded) or outgrows (threaded) views made before it.
 */
export function heapF32(backend: WasmBackend): Float32Array {
  const { wasm } = backend;
  const memory = wasm.wasmMemory;
  if (memory !== undefined && wasm.HEAPF32.buffer !== memory.buffer) {
    return new Float32Array(memory.buffer);
  }
  return wasm.HEAPF32;
}

export function heapU8(backend: WasmBackend): Uint8Array {
  const { wasm } = backend;
  const memory = wasm.wasmMemory;
  if (memory !== undefined && wasm.HEAPU8.buffer !== memory.buffer) {
    return new Uint8Array(memory.buffer);
  }
  return wasm.HEAPU8;
}

export function heapI32(backend: WasmBackend): Int32Array {
  const { wasm } = backend;
  const memory = wasm.wasmMemory;
  if (memory !== undefined && wasm.HEAP32.buffer !== memory.buffer) {
    return new Int32Array(memory.buffer);
  }
  return wasm.HEAP32;
}

/** A kernel's float32 input, or an error naming the kernel and the input (`what`). */
export function float32Input(kernel: string, t: TensorInfo | undefined, what: string): TensorInfo {
  if (t === undefined || t.dtype !== 'float32') {
    throw new Error(`${kernel} takes a float32 ${what}`);
  }
  return t;
}

/** A fresh float32 tensor on the heap (uninitialised). The caller disposes or returns it. */
export function allocF32(backend: WasmBackend, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

export function dispose(backend: WasmBackend, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/**
 * Registers `size` floats starting at float index `f32Index` as a tensor id the compiled kernels
 * accept, without copying or allocating; `releaseView` unregisters it. XNNPACK operators cached on
 * such an id (matmul weights, conv filters) are freed with it, so a view must not outlive the call
 * it was made for.
 */
export function registerView(backend: WasmBackend, f32Index: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, f32Index * 4);
  return id;
}

export function releaseView(backend: WasmBackend, id: number): void {
  backend.wasm.tfjs.disposeData(id);
}

/** A small block of heap per module for the shape arrays the compiled kernels take by pointer. */
const scratchOf = new WeakMap<WasmModule, number>();
const SCRATCH_INTS = 64;

/** Writes `values` as int32 into the scratch block at slot `slot` (0..3) and returns its address. */
export function scratchInts(backend: WasmBackend, slot: number, values: readonly number[]): number {
  let base = scratchOf.get(backend.wasm);
  if (base === undefined) {
    base = backend.wasm._malloc(SCRATCH_INTS * 4);
    scratchOf.set(backend.wasm, base);
  }
  const address = base + slot * 16 * 4;
  heapI32(backend).set(values, address >>> 2);
  return address;
}
