import { randomBytes } from 'node:crypto';
import { promises as nodeFs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { StudioFailure } from '../common/failure';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/dataDir';

/** The part of `fs.promises` an atomic write uses: a test passes a layer that fails on cue. */
export interface AtomicWriteFs {
  mkdir: typeof nodeFs.mkdir;
  open: typeof nodeFs.open;
  rename: typeof nodeFs.rename;
  rm: typeof nodeFs.rm;
}

export interface AtomicWriteOptions {
  fs?: AtomicWriteFs;
  /** Permission bits of the new file; the studio's own files are private by default. */
  mode?: number;
  /**
   * False skips flushing to disk (the rename still makes the write all-or-nothing for every
   * process). Only for the content-addressed stores: flushing each of thousands of blobs halves
   * the import rate, and a blob a power cut tore is detected and written again (see `touch`).
   */
  flush?: boolean;
}

/** One buffer, a string (UTF-8), or parts written back to back (tensors too large to join). */
export type AtomicWriteData = Uint8Array | string | readonly Uint8Array[];

/** The suffix of every temporary file; the garbage collector sweeps stale ones. */
export const TEMP_SUFFIX = '.tmp';

/**
 * Writes beside the target under a unique temporary name, flushes it to the disk, renames it over
 * the target and flushes the folder, so after a crash or a power cut the target is either the old
 * file or the whole new one, never a truncated or empty file under a valid name. Two writers of
 * the same content never trip each other. On any failure the temporary file is removed and the
 * previous file stays as it was; a full disk or a folder the studio may not write in becomes a
 * StudioFailure that names the folder.
 */
export async function writeFileAtomic(
  target: string,
  data: AtomicWriteData,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const fs = options.fs ?? nodeFs;
  const folder = path.dirname(target);
  const temp = `${target}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`;
  try {
    await fs.mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
    const handle = await fs.open(temp, 'wx', options.mode ?? PRIVATE_FILE_MODE);
    try {
      const parts = typeof data === 'string' || data instanceof Uint8Array ? [data] : data;
      for (const part of parts) await handle.writeFile(part);
      if (options.flush !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, target);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw asDiskFailure(err, folder, target);
  }
  if (options.flush === false) return;
  try {
    await syncFolder(fs, folder);
  } catch (err) {
    throw asDiskFailure(err, folder, target);
  }
}

// Flushing a folder is how the rename itself reaches the disk on POSIX systems. Windows cannot
// open a folder for it (and its rename is already durable), some file systems refuse it: those
// refusals are not failures of the write.
const FOLDER_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EINVAL', 'ENOTSUP', 'EPERM', 'EACCES']);

async function syncFolder(fs: AtomicWriteFs, folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: FileHandle;
  try {
    handle = await fs.open(folder, 'r');
  } catch (err) {
    if (FOLDER_SYNC_UNSUPPORTED.has(errnoCode(err) ?? '')) return;
    throw err;
  }
  try {
    await handle.sync();
  } catch (err) {
    if (!FOLDER_SYNC_UNSUPPORTED.has(errnoCode(err) ?? '')) throw err;
  } finally {
    await handle.close();
  }
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * A disk error as a sentence a person can act on: which folder, and what to do about it. Errors
 * that are already StudioFailures, or that are not about the disk, pass through unchanged.
 */
export function asDiskFailure(err: unknown, folder: string, file?: string): unknown {
  if (err instanceof StudioFailure) return err;
  const code = errnoCode(err);
  const details = { folder, ...(file ? { file } : {}), errno: code };
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new StudioFailure(
        'io',
        `The disk holding ${folder} is full (or your quota there is used up), so the studio ` +
          `could not save ${file ? path.basename(file) : 'its file'}. Free some space and try ` +
          'again; the previous copy was left as it was.',
        details,
      );
    case 'EACCES':
    case 'EPERM':
      return new StudioFailure(
        'io',
        `The studio is not allowed to write in ${folder}. Give your user write permission on ` +
          'that folder, or point STUDIO_DATA_DIR at another one; the previous copy was left as ' +
          'it was.',
        details,
      );
    case 'EROFS':
      return new StudioFailure(
        'io',
        `${folder} is on a read-only file system, so the studio cannot save there. Remount it ` +
          'writable, or point STUDIO_DATA_DIR at another folder; the previous copy was left as ' +
          'it was.',
        details,
      );
    default:
      return err;
  }
}
