// The char-GPT's GELU (tanh form, as x·σ(z), z = x·(C1 + C2·x²); models/transformerOps.ts) as
// one kernel forward and one backward. Op by op it is 6 kernels forward and 8 backward, each a
// pass over the [B, T, 4C] MLP activations; here the forward is two f32x4 passes around XNNPACK's
// sigmoid and the backward one pass. Every operation rounds to float32 in the order of the op
// path, with the same XNNPACK sigmoid, so the results are the same bits (gelu.test.ts).
//
// StudioGelu: input x, attrs c1, c2 → [y = x·σ(z), s = σ(z)] (s is what the backward reads).
// StudioGeluGrad: inputs dy, x, s, attrs c1, c3 (= 3·C2) →
//   dx = dy·((s − s²)·(x·(c1 + c3·x²)) + s)

import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { util } from '@tensorflow/tfjs';
import {
  F32,
  functionType,
  get,
  heapModule,
  I32,
  i32Add,
  memarg,
  set,
  simd,
  V128,
  vector,
} from './heapModule';
import {
  allocF32,
  f32Offset,
  heapF32,
  registerView,
  releaseView,
  wasmBackendOf,
  type WasmBackend,
} from './wasmHeap';

export const GELU = 'StudioGelu';
export const GELU_GRAD = 'StudioGeluGrad';

const f = Math.fround;

// ---- the compiled passes: each over `bytes` (a multiple of 16) from each byte address ----

interface GeluOps {
  /** z = x·(x²·c2 + c1) */
  preactivation(x: number, z: number, bytes: number, c1: number, c2: number): void;
  /** y = x·s */
  times(x: number, s: number, y: number, bytes: number): void;
  /** dx = dy·((s − s²)·((x²·c3 + c1)·x) + s) */
  grad(dy: number, x: number, s: number, dx: number, bytes: number, c1: number, c3: number): void;
}

const load = simd(0x00, ...memarg);
const store = simd(0x0b, ...memarg);
const [splat, add, sub, mul] = [simd(0x13), simd(0xe4), simd(0xe5), simd(0xe6)];
/** Pushes the vector at byte address param `base` + local `o`. */
const at = (base: number, o: number) => [...get(base), ...get(o), ...i32Add];
const loadAt = (base: number, o: number) => [...at(base, o), ...load];

/** for (o = 0; o < bytes; o += 16) body, then end of function. */
function loop(o: number, bytes: number, body: number[]): number[] {
  return [
    ...[0x41, 0x00, ...set(o)],
    ...[0x02, 0x40, 0x03, 0x40],
    ...[...get(o), ...get(bytes), 0x4f, 0x0d, 0x01],
    ...body,
    ...[...get(o), 0x41, 0x10, 0x6a, ...set(o)],
    ...[0x0c, 0x00, 0x0b, 0x0b, 0x0b],
  ];
}

function preactivationBody(): number[] {
  const [X, Z, BYTES, C1, C2, O, V1, V2, XV] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  return [
    ...vector([
      [1, I32],
      [3, V128],
    ]),
    ...[...get(C1), ...splat, ...set(V1), ...get(C2), ...splat, ...set(V2)],
    ...loop(O, BYTES, [
      ...[...loadAt(X, O), ...set(XV)],
      ...at(Z, O),
      ...[...get(XV), ...get(XV), ...get(XV), ...mul, ...get(V2), ...mul, ...get(V1), ...add],
      ...[...mul, ...store],
    ]),
  ];
}

function timesBody(): number[] {
  const [X, S, Y, BYTES, O] = [0, 1, 2, 3, 4];
  return [
    ...vector([[1, I32]]),
    ...loop(O, BYTES, [...at(Y, O), ...loadAt(X, O), ...loadAt(S, O), ...mul, ...store]),
  ];
}

function gradBody(): number[] {
  const [DY, X, S, DX, BYTES, C1, C3, O, V1, V3, XV, SV] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  return [
    ...vector([
      [1, I32],
      [4, V128],
    ]),
    ...[...get(C1), ...splat, ...set(V1), ...get(C3), ...splat, ...set(V3)],
    ...loop(O, BYTES, [
      ...[...loadAt(X, O), ...set(XV), ...loadAt(S, O), ...set(SV)],
      ...[...at(DX, O), ...loadAt(DY, O)],
      ...[...get(SV), ...get(SV), ...get(SV), ...mul, ...sub], // s − s²
      ...[
        ...get(XV),
        ...get(XV),
        ...mul,
        ...get(V3),
        ...mul,
        ...get(V1),
        ...add,
        ...get(XV),
        ...mul,
      ],
      ...[...mul, ...get(SV), ...add, ...mul, ...store],
    ]),
  ];
}

const module = heapModule<GeluOps>({
  types: [
    functionType([I32, I32, I32, F32, F32]),
    functionType([I32, I32, I32, I32]),
    functionType([I32, I32, I32, I32, I32, F32, F32]),
  ],
  functions: [
    { type: 0, name: 'preactivation', body: preactivationBody() },
    { type: 1, name: 'times', body: timesBody() },
    { type: 2, name: 'grad', body: gradBody() },
  ],
});

/** Tests turn the compiled passes off to check the JS loops the kernels fall back to. */
export function setGeluOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled passes on `backend`'s heap, or null where they cannot be set up (JS loops). */
export function geluOpsBuilt(backend: WasmBackend): boolean {
  return module.on(backend) !== null;
}

// ---- the kernels ----

function float32(name: string, t: TensorInfo | undefined, what: string): TensorInfo {
  if (t === undefined || t.dtype !== 'float32') throw new Error(`${name} takes a float32 ${what}`);
  return t;
}

const geluForward: KernelFunc = ({ inputs, backend, attrs }) => {
  const x = float32(GELU, inputs.x, 'x');
  const c1 = f(attrs?.c1 as number);
  const c2 = f(attrs?.c2 as number);
  const wb = wasmBackendOf(backend);
  const size = util.sizeFromShape(x.shape);
  const y = allocF32(wb, x.shape);
  const s = allocF32(wb, x.shape);
  if (size === 0) return [y, s];
  const [xi, yi, si] = [x, y, s].map((t) => f32Offset(wb, t)) as [number, number, number];
  const ops = module.on(wb);
  const vectors = ops === null ? 0 : size & ~3;
  if (ops !== null && vectors > 0) ops.preactivation(4 * xi, 4 * si, 4 * vectors, c1, c2);
  let heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    const v = heap[xi + i] as number;
    heap[si + i] = f(v * f(f(f(v * v) * c2) + c1));
  }
  const view = registerView(wb, si, size);
  wb.wasm._Sigmoid(view, view); // the stock Sigmoid's XNNPACK operator, in place
  releaseView(wb, view);
  if (ops !== null && vectors > 0) ops.times(4 * xi, 4 * si, 4 * yi, 4 * vectors);
  heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    heap[yi + i] = f((heap[xi + i] as number) * (heap[si + i] as number));
  }
  return [y, s];
};

const geluGrad: KernelFunc = ({ inputs, backend, attrs }) => {
  const dy = float32(GELU_GRAD, inputs.dy, 'dy');
  const x = float32(GELU_GRAD, inputs.x, 'x');
  const s = float32(GELU_GRAD, inputs.s, 's');
  const size = util.sizeFromShape(x.shape);
  if (util.sizeFromShape(dy.shape) !== size || util.sizeFromShape(s.shape) !== size) {
    throw new Error(
      `${GELU_GRAD}: dy ${String(dy.shape)}, x ${String(x.shape)}, s ${String(s.shape)}`,
    );
  }
  const c1 = f(attrs?.c1 as number);
  const c3 = f(attrs?.c3 as number);
  const wb = wasmBackendOf(backend);
  const dx = allocF32(wb, x.shape);
  const [g, xi, si, o] = [dy, x, s, dx].map((t) => f32Offset(wb, t)) as [
    number,
    number,
    number,
    number,
  ];
  const ops = module.on(wb);
  const vectors = ops === null ? 0 : size & ~3;
  if (ops !== null && vectors > 0) ops.grad(4 * g, 4 * xi, 4 * si, 4 * o, 4 * vectors, c1, c3);
  const heap = heapF32(wb);
  for (let i = vectors; i < size; i++) {
    const v = heap[xi + i] as number;
    const sv = heap[si + i] as number;
    const xdz = f(f(f(f(v * v) * c3) + c1) * v);
    heap[o + i] = f((heap[g + i] as number) * f(f(f(sv - f(sv * sv)) * xdz) + sv));
  }
  return dx;
};

export function geluKernel(): KernelConfig {
  return { kernelName: GELU, backendName: 'wasm', kernelFunc: geluForward };
}

export function geluGradKernel(): KernelConfig {
  return { kernelName: GELU_GRAD, backendName: 'wasm', kernelFunc: geluGrad };
}
