// Whether the compiled matrix products multiply-add in one instruction (f32x4.relaxed_madd of
// WebAssembly's relaxed SIMD), or multiply, round, then add.
//
// Why: 128-bit wasm SIMD without a fused multiply-add spends two instructions per term, and on a
// CPU whose multiplies and adds share two ports (the Intel Xeons of issue 14) that halves the
// product's ceiling against a native library, which fuses them. Fused, every term is a·b + acc
// rounded once instead of twice: the same sum in the same order, more exact, as PyTorch's and
// native XNNPACK's products compute it. A seed still gives the same losses on a machine, run to
// run and at any thread count; against the unfused products they differ in the last bits.
//
// Where the engine cannot fuse (no relaxed SIMD) or STUDIO_WASM_FMA=0 asks not to (to compare
// with the stock kernels' bits), the products multiply then add, as before. Node 20's V8 has
// relaxed SIMD behind --experimental-wasm-relaxed-simd, set here before the first compiled
// product is built; Node 22 and Electron's Chromium have it on. relaxed_madd may be fused or
// not, as the CPU allows: on x86-64 V8 fuses wherever the CPU has FMA3 (every CPU with AVX2).

import { setFlagsFromString } from 'node:v8';
import { functionType, get, heapModuleBytes, simd, V128 } from './heapModule';

/** f32x4.relaxed_madd: [x, y, acc] on the stack → x·y + acc, rounded once. */
export const f32x4MultiplyAdd = simd(0x105);

/** One function (v128, v128, v128) → x·y + acc: compiles only where relaxed SIMD does. */
const PROBE = heapModuleBytes(
  {
    types: [functionType([V128, V128, V128], [V128])],
    functions: [
      {
        type: 0,
        name: 'madd',
        body: [0x00, ...get(0), ...get(1), ...get(2), ...f32x4MultiplyAdd, 0x0b],
      },
    ],
  },
  false,
);

function compiles(bytes: Uint8Array<ArrayBuffer>): boolean {
  try {
    new WebAssembly.Module(bytes);
    return true;
  } catch {
    return false;
  }
}

function relaxedSimdAvailable(): boolean {
  if (compiles(PROBE)) return true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  return compiles(PROBE);
}

let available: boolean | null = null;

/** Whether this engine compiles f32x4.relaxed_madd (checked once; may set Node 20's flag). */
export function fusedMultiplyAddAvailable(): boolean {
  available ??= relaxedSimdAvailable();
  return available;
}

let fuse: boolean | null = null;

/**
 * Whether the products fuse: where available, unless STUDIO_WASM_FMA=0 (read once). The compiled
 * product module carries both forms (gemmSimd.ts), so this can change between calls.
 */
export function productsFuseMultiplyAdd(): boolean {
  fuse ??= process.env.STUDIO_WASM_FMA !== '0' && fusedMultiplyAddAvailable();
  return fuse;
}

/** Tests switch the fused products off to check the unfused ones against XNNPACK's bits. */
export function setProductsFuseMultiplyAdd(on: boolean): void {
  fuse = on && fusedMultiplyAddAvailable();
}
