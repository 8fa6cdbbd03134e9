import { promises as fs, readdirSync, readFileSync, statSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StudioFailure } from '../common/failure';
import { tempDir } from '../testing/fixtures';
import { writeFileAtomic, type AtomicWriteFs } from './atomicWrite';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

function folder(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}

type Step = 'mkdir' | 'write' | 'sync' | 'rename';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/**
 * The real file system with one step failing on cue, as a full disk or a read-only mount would
 * (running as root here, a read-only folder would not stop the write), and a log of every
 * flush and rename so the order can be checked.
 */
function faultyFs(fail?: { step: Step; code: string }): { fs: AtomicWriteFs; log: string[] } {
  const log: string[] = [];
  const failAt = (step: Step): void => {
    if (fail?.step === step) throw errno(fail.code);
  };
  const layer: AtomicWriteFs = {
    mkdir: (async (dir: string, options: Parameters<typeof fs.mkdir>[1]) => {
      failAt('mkdir');
      return fs.mkdir(dir, options);
    }) as AtomicWriteFs['mkdir'],
    open: (async (file: string, flags?: string, mode?: number) => {
      const real = await fs.open(file, flags, mode);
      const wrapped = {
        writeFile: async (data: Uint8Array | string) => {
          // A full disk fails part-way: something is written before the error.
          if (fail?.step === 'write') await real.writeFile('partial');
          failAt('write');
          return real.writeFile(data);
        },
        sync: async () => {
          log.push(`sync ${path.basename(file)}`);
          failAt('sync');
          return real.sync();
        },
        close: () => real.close(),
      };
      return wrapped as unknown as FileHandle;
    }) as AtomicWriteFs['open'],
    rename: (async (from: string, to: string) => {
      failAt('rename');
      log.push(`rename ${path.basename(to)}`);
      return fs.rename(from, to);
    }) as AtomicWriteFs['rename'],
    rm: fs.rm,
  };
  return { fs: layer, log };
}

describe('writeFileAtomic', () => {
  it('flushes the file before the rename and the folder after it', async () => {
    const dir = folder();
    const target = path.join(dir, 'sub', 'settings.json');
    const { fs: layer, log } = faultyFs();
    await writeFileAtomic(target, '{"a":1}', { fs: layer });
    expect(readFileSync(target, 'utf8')).toBe('{"a":1}');
    expect(log).toHaveLength(3);
    expect(log[0]).toMatch(/^sync settings\.json\.[0-9a-f]{12}\.tmp$/);
    expect(log.slice(1)).toEqual(['rename settings.json', 'sync sub']);
    expect(readdirSync(path.dirname(target))).toEqual(['settings.json']);
  });

  it('skips both flushes when asked (content-addressed stores), still renaming into place', async () => {
    const dir = folder();
    const target = path.join(dir, 'ab', 'cdef');
    const { fs: layer, log } = faultyFs();
    await writeFileAtomic(target, 'blob', { fs: layer, flush: false });
    expect(log).toEqual(['rename cdef']);
    expect(readFileSync(target, 'utf8')).toBe('blob');
  });

  it('writes parts back to back, owner-only, in an owner-only folder', async () => {
    const dir = folder();
    const target = path.join(dir, 'cache', 'data.bin');
    await writeFileAtomic(target, [new Uint8Array([1, 2]), new Uint8Array([3])]);
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    if (process.platform !== 'win32') {
      expect(statSync(target).mode & 0o777).toBe(0o600);
      expect(statSync(path.dirname(target)).mode & 0o777).toBe(0o700);
    }
  });

  it.each([
    ['write', 'ENOSPC', /disk holding .* is full/],
    ['sync', 'ENOSPC', /disk holding .* is full/],
    ['rename', 'EACCES', /not allowed to write in/],
    ['mkdir', 'EROFS', /read-only file system/],
    ['write', 'EPERM', /not allowed to write in/],
  ] as const)(
    'a %s failing with %s names the folder, keeps the old file and leaves no temporary file',
    async (step, code, message) => {
      const dir = folder();
      const target = path.join(dir, 'checkpoint.json');
      await writeFileAtomic(target, 'good');
      const { fs: layer } = faultyFs({ step, code });
      const error = await writeFileAtomic(target, 'new', { fs: layer }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StudioFailure);
      const failure = error as StudioFailure;
      expect(failure.code).toBe('io');
      expect(failure.message).toMatch(message);
      expect(failure.message).toContain(dir);
      expect(failure.details).toMatchObject({ folder: dir, errno: code });
      expect(readFileSync(target, 'utf8')).toBe('good');
      expect(readdirSync(dir)).toEqual(['checkpoint.json']);
    },
  );

  it('passes other errors through unchanged, still without a temporary file', async () => {
    const dir = folder();
    const target = path.join(dir, 'x.bin');
    const { fs: layer } = faultyFs({ step: 'write', code: 'EIO' });
    await expect(writeFileAtomic(target, 'x', { fs: layer })).rejects.toThrow(/EIO: injected/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
