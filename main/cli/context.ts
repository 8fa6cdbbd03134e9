import type {
  BackendName,
  CallArgs,
  CallName,
  CallResult,
  StudioError,
} from '../../preload/contract';
import { resolveDataDir } from '../common/dataDir';
import type { OwnerKind } from '../common/dataDirLock';
import { dispatchCall } from '../core/dispatch';
import { StudioCore } from '../core/studioCore';
import { EXIT, exitCodeFor } from './exitCodes';
import { serverOwnerOf, type ServerOwner } from './viaServer';

// What every command shares: the global options, an open core, and the one way to reach it, the
// same contract calls (dispatchCall over core.handlers) the desktop app and the server make.

/** A failure with the exit code it ends the command with. */
export class CliFailure extends Error {
  constructor(
    readonly error: StudioError,
    readonly exitCode: number,
  ) {
    super(error.message);
  }
}

export interface GlobalOptions {
  dataDir?: string;
  backend?: BackendName;
}

/** Where the built app's files are, resolved by the entry bundle (out/main/cli.js). */
export interface CliPaths {
  workerPath: string;
  rendererDir: string;
  sampleImages: string;
}

export interface CliContext {
  /** --data-dir and --backend, as parsed when a command runs. */
  globals(): GlobalOptions;
  paths: CliPaths;
}

export function openCore(
  ctx: CliContext,
  options: GlobalOptions = ctx.globals(),
  owner: OwnerKind = 'cli',
): StudioCore {
  return new StudioCore({
    dataDir: resolveDataDir(options.dataDir),
    shell: 'browser',
    owner,
    preferBackend: options.backend,
    workerPath: ctx.paths.workerPath,
  });
}

/**
 * Runs a command body with an open core, closing it whatever happens. Where a studio server owns
 * the data dir, `viaServer` (when the command has one) runs the command through that server.
 */
export async function withCore(
  ctx: CliContext,
  body: (core: StudioCore) => Promise<number | void>,
  options: GlobalOptions = ctx.globals(),
  viaServer?: (server: ServerOwner) => Promise<number>,
): Promise<void> {
  let core: StudioCore;
  try {
    core = openCore(ctx, options);
  } catch (error) {
    const server = viaServer ? serverOwnerOf(error) : null;
    if (server === null || viaServer === undefined) throw error;
    process.exitCode = await viaServer(server);
    return;
  }
  try {
    process.exitCode = (await body(core)) ?? EXIT.ok;
  } finally {
    await core.close();
  }
}

/** A contract call, as any shell makes it; a failed outcome ends the command with its code. */
export async function call<K extends CallName>(
  core: StudioCore,
  name: K,
  args: CallArgs<K>,
): Promise<CallResult<K>> {
  const outcome = await dispatchCall(core.handlers, name, args);
  if (!outcome.ok) throw new CliFailure(outcome.error, exitCodeFor(outcome.error.code));
  return outcome.value as CallResult<K>;
}

export function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliFailure(
      { code: 'invalid-input', message: `"${value}" is not a positive whole number.` },
      EXIT.usage,
    );
  return n;
}

/** A call nothing waits for (a stop on Ctrl-C, a warm-up): its outcome is dropped, it never throws. */
export function callInBackground<K extends CallName>(
  core: StudioCore,
  name: K,
  args: CallArgs<K>,
): void {
  void dispatchCall(core.handlers, name, args);
}
