import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/fixtures';
import { ioFailure, readRegularFile } from './readRegularFile';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => cleanup());

describe('readRegularFile: what was measured is what is read', () => {
  it('reads a file that grew since it was measured as it was then', async () => {
    const file = path.join(dir, 'growing.txt');
    await fs.writeFile(file, 'first line\n');
    const measured = (await fs.stat(file)).size;
    await fs.appendFile(file, 'x'.repeat(100_000));
    const bytes = await readRegularFile(file, measured);
    expect(bytes.toString()).toBe('first line\n');
  });

  it('reads what is left of a file that shrank', async () => {
    const file = path.join(dir, 'shrinking.txt');
    await fs.writeFile(file, 'abcdef');
    await fs.truncate(file, 2);
    expect((await readRegularFile(file, 6)).toString()).toBe('ab');
  });

  it('refuses a named pipe at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'pipe.png');
    execFileSync('mkfifo', [fifo]);
    await expect(readRegularFile(fifo, 10)).rejects.toMatchObject({ code: 'ENOTREG' });
    await expect(readRegularFile(dir, 10)).rejects.toMatchObject({ code: 'EISDIR' });
  });

  it('says what an error code means, and keeps the code', async () => {
    const missing = await readRegularFile(path.join(dir, 'gone.png'), 1).catch((e: unknown) => e);
    expect(ioFailure(missing)).toBe('it was removed during the import (ENOENT)');
    expect(ioFailure({ code: 'ENOTREG' })).toBe('it is no longer a regular file (ENOTREG)');
    expect(ioFailure({ code: 'EWEIRD' })).toBe('EWEIRD');
  });
});
