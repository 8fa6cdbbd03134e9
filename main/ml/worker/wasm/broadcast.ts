// Add, Sub and Multiply of a tensor x [..., C] and a per-channel vector v [C] (or [1, …, 1, C]),
// either way round (conv and dense biases, batch norm's centring and scaling and their
// gradients), or of a block repeated along x's leading axes (the attention's [T, T] mask against
// its [B, h, T, T] scores), or of two tensors of one shape; Square. The loops are compiled
// (broadcastSimd.ts) and their rows shared with the helper threads (team.ts, by sharedPasses.ts).
// On two threads of a machine that other processes load, every XNNPACK operator waits at its end
// for pthreadpool's second thread, which the scheduler may not have run yet: an elementwise op of
// 400k values took 0.8–1.1 ms there, ten times its one-thread time. The team's caller never waits
// for a helper that did not join.
// Every other case (other broadcasts, int32, sizes or widths not a multiple of 4) stays with the
// stock kernel.

import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs';
import { broadcastOps, type BroadcastFunction } from './broadcastSimd';
import { shareRows } from './sharedPasses';
import { runTeamBatch } from './team';
import { allocF32, byteOffset, wasmBackendOf, type WasmBackend } from './wasmHeap';

/** Values per shared item: a few microseconds of work, so claims stay a small share. */
const VALUES_PER_ITEM = 8192;

type Op = 'add' | 'sub' | 'mul';

/**
 * Whether `v` repeats along `x`'s leading axes: after any leading 1s its shape is `x`'s last axes
 * ([C] against [..., C], a [T, T] mask against [B, h, T, T]). x is then rows of size(v) values.
 */
function isTrailingBlock(v: TensorInfo, x: TensorInfo): boolean {
  const first = v.shape.findIndex((d) => d !== 1);
  const trailing = first < 0 ? [] : v.shape.slice(first);
  return (
    trailing.length >= 1 &&
    v.shape.length <= x.shape.length &&
    util.arraysEqual(x.shape.slice(x.shape.length - trailing.length), trailing)
  );
}

/**
 * out [rows, C] = x op v over every row of C = size(v) values, shared out in blocks of rows; null
 * without the module.
 */
export function applyRows(
  backend: WasmBackend,
  fn: BroadcastFunction,
  x: TensorInfo,
  v: TensorInfo,
): TensorInfo | null {
  const ops = broadcastOps(backend);
  if (ops === null) return null;
  const c = util.sizeFromShape(v.shape);
  const size = util.sizeFromShape(x.shape);
  const out = allocF32(backend, [...x.shape]);
  if (size === 0) return out;
  const rows = size / c;
  const rowBytes = 4 * c;
  const [xb, vb, ob] = [byteOffset(backend, x), byteOffset(backend, v), byteOffset(backend, out)];
  shareRows(backend, ops[fn], fn, {
    args: (row, n) => [xb + row * rowBytes, vb, ob + row * rowBytes, n, rowBytes],
    rowSteps: [rowBytes, 0, rowBytes],
    floats: [],
    rows,
    rowBytes,
    itemBytes: 4 * VALUES_PER_ITEM,
    chunk: 4, // items of a few microseconds: few enough claims, small enough tails
  });
  return out;
}

/**
 * out = x op y of one shape (size a multiple of 4), in blocks shared out; null without the module.
 * `alpha`: the float argument of the functions that take one.
 */
export function applyElementwise(
  backend: WasmBackend,
  fn: BroadcastFunction,
  x: TensorInfo,
  y: TensorInfo,
  alpha = 0,
): TensorInfo | null {
  const ops = broadcastOps(backend);
  if (ops === null) return null;
  const size = util.sizeFromShape(x.shape);
  const out = allocF32(backend, [...x.shape]);
  if (size === 0) return out;
  const [xb, yb, ob] = [byteOffset(backend, x), byteOffset(backend, y), byteOffset(backend, out)];
  const block = 4 * VALUES_PER_ITEM;
  const items = Math.floor(size / VALUES_PER_ITEM);
  const local = ops[fn];
  runTeamBatch(backend, local, {
    fn,
    ints: [
      { base: xb, step: block },
      { base: yb, step: block },
      { base: ob, step: block },
      1,
      block,
    ],
    floats: [alpha],
    batch: items,
  });
  const done = items * block;
  if (done < 4 * size) local(xb + done, yb + done, ob + done, 1, 4 * size - done, alpha);
  return out;
}

/** The row function for x op v, or for v op x when `vectorFirst`. */
function rowFunction(op: Op, vectorFirst: boolean): BroadcastFunction {
  if (op === 'add') return 'addRows';
  if (op === 'mul') return 'mulRows';
  return vectorFirst ? 'subFromRows' : 'subRows';
}

/** Whether x op v works row by row: v a smaller trailing block of a multiple of 4 values. */
function takesRows(x: TensorInfo, v: TensorInfo): boolean {
  const c = util.sizeFromShape(v.shape);
  return c % 4 === 0 && isTrailingBlock(v, x) && c < util.sizeFromShape(x.shape);
}

function rowsKernel(op: Op, stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { a, b } = args.inputs;
    if (a === undefined || b === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return stock.kernelFunc(args);
    }
    const backend = wasmBackendOf(args.backend);
    let result: TensorInfo | null = null;
    if (util.arraysEqual(a.shape, b.shape) && util.sizeFromShape(a.shape) % 4 === 0) {
      result = applyElementwise(backend, rowFunction(op, false), a, b);
    } else if (takesRows(a, b)) result = applyRows(backend, rowFunction(op, false), a, b);
    else if (takesRows(b, a)) result = applyRows(backend, rowFunction(op, true), b, a);
    return result ?? stock.kernelFunc(args);
  };
  return { ...stock, kernelFunc };
}

export const addKernel = (stock: KernelConfig): KernelConfig => rowsKernel('add', stock);
export const subKernel = (stock: KernelConfig): KernelConfig => rowsKernel('sub', stock);
export const multiplyKernel = (stock: KernelConfig): KernelConfig => rowsKernel('mul', stock);

/** Square of a float32 tensor whose size is a multiple of 4; the rest to the stock kernel. */
export function squareKernel(stock: KernelConfig): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const { x } = args.inputs;
    if (x === undefined || x.dtype !== 'float32' || util.sizeFromShape(x.shape) % 4 !== 0) {
      return stock.kernelFunc(args);
    }
    return (
      applyElementwise(wasmBackendOf(args.backend), 'squareRows', x, x) ?? stock.kernelFunc(args)
    );
  };
  return { ...stock, kernelFunc };
}
