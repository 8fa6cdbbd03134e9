import type { Command } from 'commander';
import type { ServerOptions } from './httpServer';
import { checkListenAddress, ListenAddressError } from './listenAddress';
import { RootError } from './pathPolicy';
import { DEFAULT_UPLOAD_LIMITS } from './uploads';

/** The `studio serve` flags, as commander hands them over. */
export interface ServeFlags {
  port: string;
  host: string;
  json?: boolean;
  token?: string;
  root: string[];
  allowRemote?: boolean;
  maxFileMb?: string;
  maxUploadMb?: string;
  maxUploadFiles?: string;
  maxConcurrentUploads?: string;
}

export class ServeOptionError extends Error {}

/** A mistake in how the server was started (exit code "usage"), not a failure while running. */
export function isServeUsageError(err: unknown): err is Error {
  return (
    err instanceof ServeOptionError || err instanceof ListenAddressError || err instanceof RootError
  );
}

const MB = 1024 * 1024;

export function addServeOptions(command: Command): Command {
  return command
    .option('--port <port>', 'port to listen on (0 picks a free one)', '5899')
    .option(
      '--host <host>',
      'address to listen on; keep 127.0.0.1 and use an SSH tunnel',
      '127.0.0.1',
    )
    .option('--allow-remote', 'allow a --host other machines can reach (read the README first)')
    .option('--token <token>', 'the secret the link carries (default: a new random one per launch)')
    .option(
      '--root <dir>',
      'a folder the browser may import from and export into (repeatable)',
      (dir: string, dirs: string[]) => [...dirs, dir],
      [] as string[],
    )
    .option(
      '--max-file-mb <n>',
      'largest uploaded file',
      String(DEFAULT_UPLOAD_LIMITS.maxFileBytes / MB),
    )
    .option(
      '--max-upload-mb <n>',
      'largest upload (one dropped folder)',
      String(DEFAULT_UPLOAD_LIMITS.maxUploadBytes / MB),
    )
    .option(
      '--max-upload-files <n>',
      'most files in one upload',
      String(DEFAULT_UPLOAD_LIMITS.maxFiles),
    )
    .option(
      '--max-concurrent-uploads <n>',
      'files received at once',
      String(DEFAULT_UPLOAD_LIMITS.maxConcurrent),
    )
    .option('--json', 'print the URL as JSON');
}

/** The server's options from the flags; refuses a remote address without --allow-remote. */
export function serverOptionsFrom(flags: ServeFlags, rendererDir: string): ServerOptions {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ServeOptionError(`"${flags.port}" is not a port number.`);
  }
  checkListenAddress(flags.host, flags.allowRemote === true);
  if (flags.token !== undefined && flags.token.length < 16) {
    throw new ServeOptionError('--token must be at least 16 characters: it is the only key.');
  }
  return {
    host: flags.host,
    port,
    rendererDir,
    allowRemote: flags.allowRemote === true,
    roots: flags.root,
    ...(flags.token !== undefined ? { token: flags.token } : {}),
    uploadLimits: {
      maxFileBytes: positive(flags.maxFileMb, '--max-file-mb') * MB,
      maxUploadBytes: positive(flags.maxUploadMb, '--max-upload-mb') * MB,
      maxFiles: positive(flags.maxUploadFiles, '--max-upload-files'),
      maxConcurrent: positive(flags.maxConcurrentUploads, '--max-concurrent-uploads'),
    },
  };
}

function positive(value: string | undefined, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) {
    throw new ServeOptionError(`${flag} takes a positive whole number, not "${value}".`);
  }
  return n;
}
