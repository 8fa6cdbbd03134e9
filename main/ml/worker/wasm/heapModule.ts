// Tiny WebAssembly modules, built here byte by byte, that import the wasm backend's own memory so
// compiled loops can work on tensors where they lie (stridedCopy.ts, adamSimd.ts). This file has
// what they share: a minimal binary encoder, the instructions they all use, the module's frame (one imported memory, functions,
// exports) and the per-backend instantiation, with the JS fallback when it cannot be made.

import type { WasmBackend } from './wasmHeap';

// ---- a minimal encoder ----

/** Unsigned LEB128, the binary format's integer encoding. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

export function vector(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

// ---- the instructions the compiled kernels share ----

/** Value types, as their byte codes. */
export const [I32, F32, F64, V128] = [0x7f, 0x7d, 0x7c, 0x7b];
/** A SIMD instruction: the 0xfd prefix, its opcode, then its immediates. */
export const simd = (code: number, ...immediates: number[]) => [0xfd, ...uleb(code), ...immediates];
export const get = (local: number) => [0x20, ...uleb(local)];
export const set = (local: number) => [0x21, ...uleb(local)];
/** 4-byte alignment (float32 tensors), offset 0. */
export const memarg = [0x02, 0x00];
export const i32Add = [0x6a];
export const i32Mul = [0x6c];
/** i32.const takes signed LEB128, equal to `uleb` only for 0 ≤ v < 64: small constants only. */
export const i32Const = (v: number) => [0x41, ...uleb(v)];

/** v128.load and v128.store at the address on the stack (4-byte alignment, offset 0). */
export const v128Load = simd(0x00, ...memarg);
export const v128Store = simd(0x0b, ...memarg);
/** f32x4 splat (from an f32), add, sub, mul. */
export const [f32x4Splat, f32x4Add, f32x4Sub, f32x4Mul] = [
  simd(0x13),
  simd(0xe4),
  simd(0xe5),
  simd(0xe6),
];

/** for (counter = 0; counter < limit; counter += step) body: locals, unsigned compare, step < 64. */
export function countedLoop(
  counter: number,
  limit: number,
  step: number,
  body: number[],
): number[] {
  return [
    ...[...i32Const(0), ...set(counter)],
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(counter), ...get(limit), 0x4f, 0x0d, 0x01], // i32.ge_u, br_if out
    ...body,
    ...[...get(counter), ...i32Const(step), ...i32Add, ...set(counter)],
    ...[0x0c, 0x00, 0x0b, 0x0b],
  ];
}

/** A function type: `(params) -> (results)`, value types as their byte codes. */
export function functionType(params: number[], results: number[] = []): number[] {
  return [0x60, ...vector(params.map((t) => [t])), ...vector(results.map((t) => [t]))];
}

export interface HeapModuleSpec {
  /** Function types (see functionType). */
  types: number[][];
  /** Per function: its type index, its export name and its encoded body (locals + code). */
  functions: { type: number; name: string; body: number[] }[];
}

/**
 * The module's bytes: `env.memory` imported (any size; for a shared memory, which must declare a
 * maximum, the largest wasm32 one), then the functions, each exported under its name.
 */
export function heapModuleBytes(spec: HeapModuleSpec, shared: boolean): Uint8Array<ArrayBuffer> {
  const limits = shared ? [0x03, 0x00, ...uleb(65536)] : [0x00, 0x00];
  const imports = vector([[...name('env'), ...name('memory'), 0x02, ...limits]]);
  const { functions } = spec;
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(spec.types)),
    ...section(2, imports),
    ...section(3, vector(functions.map((f) => uleb(f.type)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vector(functions.map((f) => [...uleb(f.body.length), ...f.body]))),
  ]);
}

/** The backend's linear memory: exported by the threaded build, inside `asm` otherwise. */
export function memoryOf(backend: WasmBackend): WebAssembly.Memory | null {
  const wasm = backend.wasm as unknown as { wasmMemory?: unknown; asm?: { memory?: unknown } };
  if (wasm.wasmMemory instanceof WebAssembly.Memory) return wasm.wasmMemory;
  if (wasm.asm?.memory instanceof WebAssembly.Memory) return wasm.asm.memory;
  return null;
}

export interface HeapModule<T> {
  /** The module's exports on `backend`'s heap, or null where it cannot be set up (use JS). */
  on(backend: WasmBackend): T | null;
  /** Tests turn the compiled path off to check the JS loops the callers fall back to. */
  setEnabled(on: boolean): void;
}

/**
 * A spec, or how to make it where its code depends on what the engine can do (gemmSimd.ts's
 * fused multiply-add): made on first use, not at import.
 */
export type HeapModuleSource = HeapModuleSpec | (() => HeapModuleSpec);

export function specOf(source: HeapModuleSource): HeapModuleSpec {
  return typeof source === 'function' ? source() : source;
}

/** One module per backend, built from `source` on first use and kept. */
export function heapModule<T>(source: HeapModuleSource): HeapModule<T> {
  const built = new WeakMap<object, T | null>();
  let enabled = true;
  return {
    setEnabled(on) {
      enabled = on;
    },
    on(backend) {
      if (!enabled) return null;
      const cached = built.get(backend.wasm);
      if (cached !== undefined) return cached;
      let exports: T | null = null;
      const memory = memoryOf(backend);
      if (memory !== null) {
        try {
          const shared =
            typeof SharedArrayBuffer === 'function' && memory.buffer instanceof SharedArrayBuffer;
          const module = new WebAssembly.Module(heapModuleBytes(specOf(source), shared));
          const instance = new WebAssembly.Instance(module, { env: { memory } });
          exports = instance.exports as unknown as T;
        } catch {
          // An engine without bulk memory or SIMD, or a memory that does not match: JS loops.
          exports = null;
        }
      }
      built.set(backend.wasm, exports);
      return exports;
    },
  };
}
