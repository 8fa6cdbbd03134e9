// Compiled passes over rows (rowReduceSimd.ts, broadcastSimd.ts) or over flat buffers (geluSimd.ts)
// shared with the helper threads (team.ts): in items of as many whole rows as fit in an item's
// bytes (at least one), or of ITEM_BYTES of a flat buffer; every value is the same call's
// whichever thread runs it, so the results are the same bits on any thread count.

import { util, type TensorInfo } from '@tensorflow/tfjs';
import { runTeamBatch } from './team';
import type { WasmBackend } from './wasmHeap';

/**
 * Rows and width of x [..., C] (0 rows when C is 0), checking each of `vectors` (a gain, a bias)
 * holds C values: errors name `kernel`.
 */
export function rowsOf(kernel: string, x: TensorInfo, ...vectors: TensorInfo[]): [number, number] {
  const width = x.shape[x.shape.length - 1] ?? 1;
  const size = util.sizeFromShape(x.shape);
  for (const v of vectors) {
    if (util.sizeFromShape(v.shape) !== width) {
      throw new Error(`${kernel}: x ${String(x.shape)} against a vector of ${String(v.shape)}`);
    }
  }
  return [width === 0 ? 0 : size / width, width];
}

/** Bytes of a row-major operand per item shared with the helper threads. */
const ITEM_BYTES = 1 << 16;

/**
 * Runs the compiled `fn` over `rows` rows of `rowBytes` bytes: `args(first, count)` gives its
 * integer arguments for rows first … first + count − 1, `rowSteps` how many bytes each of them
 * moves per row (0 for one that does not), `floats` its float arguments. Items of as many whole
 * rows as fit in `itemBytes` (default ITEM_BYTES; one row if a row is longer) are shared with the
 * helper threads, claimed `chunk` at a time (default 1), the rows left over run on this thread.
 */
export function shareRows(
  backend: WasmBackend,
  local: (...args: number[]) => void,
  fn: string,
  p: {
    args: (first: number, count: number) => number[];
    rowSteps: readonly number[];
    floats: readonly number[];
    rows: number;
    rowBytes: number;
    itemBytes?: number;
    chunk?: number;
  },
): void {
  const perItem = Math.max(1, Math.floor((p.itemBytes ?? ITEM_BYTES) / p.rowBytes));
  const whole = Math.floor(p.rows / perItem);
  if (whole > 0) {
    runTeamBatch(backend, local, {
      fn,
      ints: p.args(0, perItem).map((base, k) => {
        const step = (p.rowSteps[k] ?? 0) * perItem;
        return step === 0 ? base : { base, step };
      }),
      floats: p.floats,
      batch: whole,
      chunk: p.chunk ?? 1, // an item of ITEM_BYTES is already tens of microseconds
    });
  }
  const done = whole * perItem;
  if (done < p.rows) local(...p.args(done, p.rows - done), ...p.floats);
}

/**
 * Runs the compiled element-wise `fn(...pointers, bytes, ...floats)` over `bytes` bytes from each
 * of `pointers` (byte addresses), in items of ITEM_BYTES shared with the helper threads and the
 * rest on this thread.
 */
export function shareBytes(
  backend: WasmBackend,
  local: (...args: number[]) => void,
  fn: string,
  pointers: readonly number[],
  bytes: number,
  floats: readonly number[] = [],
): void {
  const whole = Math.floor(bytes / ITEM_BYTES);
  if (whole > 0) {
    runTeamBatch(backend, local, {
      fn,
      ints: [...pointers.map((base) => ({ base, step: ITEM_BYTES })), ITEM_BYTES],
      floats,
      batch: whole,
      chunk: 1,
    });
  }
  const done = whole * ITEM_BYTES;
  if (done < bytes) local(...pointers.map((p) => p + done), bytes - done, ...floats);
}
