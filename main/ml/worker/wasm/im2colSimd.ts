// im2col compiled on the wasm backend's heap (and instantiated by the helper threads, team.ts):
// one example's rows of the column matrix of a convolution, so a convolution with many input
// channels becomes one compiled product (conv2dColumns.ts, conv2dBackpropFilter.ts).
//
//   im2col(dst, src, h, w, cinBytes, ho, wo, kh, kw, sh, sw, pt, pl)
//
// writes cols [ho·wo, kh·kw·cin] for x [h, w, cin] (NHWC, one example), row (oy, ox) holding tap
// after tap in (ky, kx) order the cin channels of x at (oy·sh + ky − pt, ox·sw + kx − pl), zeros
// where that falls in the padding. Each tap is a run of cinBytes (a multiple of 16) copied with
// v128 loads and stores; the bounds test is one unsigned compare per axis (a row above the input
// wraps to a large unsigned value).

import {
  countedLoop,
  functionType,
  get,
  heapModule,
  type HeapModuleSpec,
  I32,
  i32Add,
  i32Mul,
  set,
  simd,
  v128Load,
  v128Store,
  vector,
} from './heapModule';
import type { WasmBackend } from './wasmHeap';

export interface Im2colOps {
  im2col(
    dst: number,
    src: number,
    h: number,
    w: number,
    cinBytes: number,
    ho: number,
    wo: number,
    kh: number,
    kw: number,
    sh: number,
    sw: number,
    pt: number,
    pl: number,
  ): void;
}

const i32Sub = [0x6b];
const i32LtU = [0x49];
const i32And = [0x71];
const zeroVector = simd(0x0c, ...Array<number>(16).fill(0));

function im2colBody(): number[] {
  const [DST, SRC, H, W, CINB, HO, WO, KH, KW, SH, SW, PT, PL] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
  ];
  // i32 locals: the four loop counters, the input row and column, the tap's source, a byte count.
  const [OY, OX, KY, KX, IY, IX, S, T] = [13, 14, 15, 16, 17, 18, 19, 20];
  const locals = vector([[8, I32]]);
  const inside = [...get(IY), ...get(H), ...i32LtU, ...get(IX), ...get(W), ...i32LtU, ...i32And];
  // s = src + (iy·w + ix)·cinBytes
  const source = [
    ...[...get(SRC), ...get(IY), ...get(W), ...i32Mul, ...get(IX), ...i32Add],
    ...[...get(CINB), ...i32Mul, ...i32Add, ...set(S)],
  ];
  const copyRun = countedLoop(T, CINB, 16, [
    ...[...get(DST), ...get(T), ...i32Add],
    ...[...get(S), ...get(T), ...i32Add, ...v128Load],
    ...v128Store,
  ]);
  const zeroRun = countedLoop(T, CINB, 16, [
    ...[...get(DST), ...get(T), ...i32Add, ...zeroVector, ...v128Store],
  ]);
  const tap = [
    // ix = ox·sw + kx − pl
    ...[...get(OX), ...get(SW), ...i32Mul, ...get(KX), ...i32Add, ...get(PL), ...i32Sub],
    ...set(IX),
    ...inside,
    ...[0x04, 0x40, ...source, ...copyRun, 0x05, ...zeroRun, 0x0b], // if inside … else … end
    ...[...get(DST), ...get(CINB), ...i32Add, ...set(DST)],
  ];
  const row = [
    // iy = oy·sh + ky − pt
    ...[...get(OY), ...get(SH), ...i32Mul, ...get(KY), ...i32Add, ...get(PT), ...i32Sub],
    ...set(IY),
    ...countedLoop(KX, KW, 1, tap),
  ];
  const body = countedLoop(OY, HO, 1, countedLoop(OX, WO, 1, countedLoop(KY, KH, 1, row)));
  return [...locals, ...body, 0x0b];
}

/** The module's spec, also instantiated by the helper threads (team.ts). */
export const IM2COL_MODULE: HeapModuleSpec = {
  types: [functionType(Array<number>(13).fill(I32))],
  functions: [{ type: 0, name: 'im2col', body: im2colBody() }],
};

const module = heapModule<Im2colOps>(IM2COL_MODULE);

/** The benchmarks turn it off to time the XNNPACK convolutions it replaces. */
export function setIm2colOpsEnabled(on: boolean): void {
  module.setEnabled(on);
}

/** The compiled im2col on `backend`'s heap, or null where it cannot be set up. */
export function im2colOps(backend: WasmBackend): Im2colOps | null {
  return module.on(backend);
}
