import type { ErrorCode } from '../../preload/contract';

/** What a script can rely on from `studio`'s exit status. */
export const EXIT = {
  ok: 0,
  /** The work ran and failed (training diverged, export could not write, ...). */
  failed: 1,
  /** Wrong usage or invalid input (bad option, unknown preset, not a folder). */
  usage: 2,
  /** The dataset, run or folder named does not exist. */
  notFound: 3,
  /** Stopped by Ctrl-C; what was done so far is saved. */
  interrupted: 130,
} as const;

export function exitCodeFor(code: ErrorCode): number {
  if (code === 'invalid-input' || code === 'unsupported') return EXIT.usage;
  if (code === 'not-found') return EXIT.notFound;
  return EXIT.failed;
}
