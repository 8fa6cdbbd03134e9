// Add, Sub and Multiply of a tensor x [..., C] and a per-channel vector v [C] (or [1, …, 1, C]),
// either way round: conv and dense biases, batch norm's centring and scaling and their gradients.
// The row loops are compiled (broadcastSimd.ts) and their rows shared with the helper threads
// (team.ts); every other case (same shapes, other broadcasts, int32, C not a multiple of 4) stays
// with the stock kernel.

import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { broadcastOps, type BroadcastFunction } from './broadcastSimd';
import { runTeamBatch } from './team';
import { allocF32, byteOffset, wasmBackendOf, type WasmBackend } from './wasmHeap';

/** Values per shared item: a few microseconds of work, so claims stay a small share. */
const VALUES_PER_ITEM = 8192;

type Op = 'add' | 'sub' | 'mul';

/** Whether `v` is a row vector of width `c` against `x`: [c] or 1s then c, of rank ≤ x's. */
function isRowVector(v: TensorInfo, x: TensorInfo): boolean {
  const c = x.shape[x.shape.length - 1];
  const width = v.shape[v.shape.length - 1];
  return (
    v.shape.length >= 1 &&
    v.shape.length <= x.shape.length &&
    width === c &&
    v.shape.slice(0, -1).every((d) => d === 1)
  );
}

/** out [rows, C] = x op v over every row, shared out in blocks of rows. */
function applyRows(
  backend: WasmBackend,
  fn: BroadcastFunction,
  x: TensorInfo,
  v: TensorInfo,
): TensorInfo | null {
  const ops = broadcastOps(backend);
  if (ops === null) return null;
  const c = x.shape[x.shape.length - 1] as number;
  const size = util.sizeFromShape(x.shape);
  const out = allocF32(backend, [...x.shape]);
  if (size === 0) return out;
  const rows = size / c;
  const rowBytes = 4 * c;
  const [xb, vb, ob] = [byteOffset(backend, x), byteOffset(backend, v), byteOffset(backend, out)];
  const perItem = Math.max(1, Math.floor(VALUES_PER_ITEM / c));
  const items = Math.floor(rows / perItem);
  const local = ops[fn];
  runTeamBatch(backend, local, {
    fn,
    ints: [
      { base: xb, step: perItem * rowBytes },
      vb,
      { base: ob, step: perItem * rowBytes },
      perItem,
      rowBytes,
    ],
    batch: items,
  });
  const done = items * perItem;
  if (done < rows) local(xb + done * rowBytes, vb, ob + done * rowBytes, rows - done, rowBytes);
  return out;
}

/** The row function for x op v, or for v op x when `vectorFirst`. */
function rowFunction(op: Op, vectorFirst: boolean): BroadcastFunction {
  if (op === 'add') return 'addRows';
  if (op === 'mul') return 'mulRows';
  return vectorFirst ? 'subFromRows' : 'subRows';
}

/** Whether x [..., C] op v works row by row: C a multiple of 4 and v a smaller row vector. */
function takesRows(x: TensorInfo, v: TensorInfo): boolean {
  const c = x.shape[x.shape.length - 1];
  return (
    c !== undefined &&
    c % 4 === 0 &&
    isRowVector(v, x) &&
    util.sizeFromShape(v.shape) < util.sizeFromShape(x.shape)
  );
}

function rowsKernel(op: Op, stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    let result: TensorInfo | null = null;
    if (takesRows(a, b)) result = applyRows(backend, rowFunction(op, false), a, b);
    else if (takesRows(b, a)) result = applyRows(backend, rowFunction(op, true), b, a);
    return result ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

export const addKernel = (stock: KernelConfig): KernelConfig => rowsKernel('add', stock);
export const subKernel = (stock: KernelConfig): KernelConfig => rowsKernel('sub', stock);
export const multiplyKernel = (stock: KernelConfig): KernelConfig => rowsKernel('mul', stock);
