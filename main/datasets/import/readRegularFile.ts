import { constants, promises as fs } from 'node:fs';

/** What the system's error codes mean for a file the walk had just listed, in words. */
const MEANING: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'it was removed during the import',
  ENOTDIR: 'it or a folder above it is no longer a folder',
  EISDIR: 'it is a folder now',
  ENOTREG: 'it is no longer a regular file',
  ENAMETOOLONG: 'its path is longer than the system allows',
  ELOOP: 'too many levels of symbolic links',
  EIO: 'the disk reported a read error',
  EMFILE: 'too many files open at once',
  ENFILE: 'too many files open at once',
  ETIMEDOUT: 'the network drive did not answer',
  EHOSTDOWN: 'the network drive did not answer',
  ESTALE: 'the network drive lost the file',
};

/** "permission denied (EACCES)": the words to act on, the code to search for. */
export function ioFailure(err: unknown): string {
  const code = errorCode(err);
  const meaning = MEANING[code];
  return meaning ? `${meaning} (${code})` : code;
}

/**
 * Reads at most `size` bytes (the size the import budgeted for) of a regular file, through one
 * open handle, so what is checked is what is read. A file that grows while the import runs is
 * read as it was when it was measured, not to whatever size it reaches; one swapped for a named
 * pipe is refused instead of blocking the import forever (O_NONBLOCK makes the open return, and
 * the handle's own stat says what it is).
 */
export async function readRegularFile(file: string, size: number): Promise<Buffer> {
  const handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      // Linux opens a folder for reading without complaint; say what it is, as readFile would.
      const code = stat.isDirectory() ? 'EISDIR' : 'ENOTREG';
      throw Object.assign(new Error(`${file} is not a regular file`), { code });
    }
    const buffer = Buffer.alloc(Math.min(size, stat.size));
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  } finally {
    await handle.close();
  }
}

export function errorCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string')
    return err.code;
  return err instanceof Error ? err.message : String(err);
}
