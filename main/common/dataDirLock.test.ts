import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { DataDirLock, LOCK_FILE, type DataDirOwner } from './dataDirLock';

/** The pid of a process that has already ended: what a kill -9 leaves in a lock file. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid ?? 999_999;
}

function writeLock(dir: string, owner: Partial<DataDirOwner>): void {
  const full = { kind: 'cli', since: '2026-01-01T00:00:00.000Z', nonce: 'old', ...owner };
  writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(full));
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});
function folder(): string {
  const t = tempDir('studio-lock-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('DataDirLock', () => {
  it('writes the owner into studio.lock and removes it on release', () => {
    const dir = folder();
    const { lock, tookOverFrom } = DataDirLock.acquire(dir, 'server');
    expect(tookOverFrom).toBeNull();
    const saved = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as DataDirOwner;
    expect(saved).toMatchObject({ pid: process.pid, kind: 'server' });
    lock.advertise({ port: 5899, url: 'http://127.0.0.1:5899/' });
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      port: 5899,
      nonce: saved.nonce,
    });
    lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a second owner while the first holds the lock, naming the first', () => {
    const dir = folder();
    const { lock } = DataDirLock.acquire(dir, 'server');
    lock.advertise({ url: 'http://127.0.0.1:4000/' });
    expect(() => DataDirLock.acquire(dir, 'cli')).toThrow(
      new RegExp(`in use by a studio server \\(pid ${process.pid} at http://127.0.0.1:4000/`),
    );
    lock.release();
    DataDirLock.acquire(dir, 'cli').lock.release();
  });

  it('refuses a lock held by another live process', () => {
    const dir = folder();
    // The test runner's parent is alive for the whole test.
    writeLock(dir, { pid: process.ppid, kind: 'desktop' });
    expect(() => DataDirLock.acquire(dir, 'cli')).toThrow(/in use by the desktop app/);
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8'))).toMatchObject({
      pid: process.ppid,
    });
  });

  it('takes over the lock of a dead process and of an earlier process with our pid', () => {
    const dir = folder();
    const pid = deadPid();
    writeLock(dir, { pid });
    const first = DataDirLock.acquire(dir, 'cli');
    expect(first.tookOverFrom).toMatchObject({ pid, nonce: 'old' });
    first.lock.release();

    writeLock(dir, { pid: process.pid, nonce: 'before-restart' });
    const second = DataDirLock.acquire(dir, 'cli');
    expect(second.tookOverFrom).toMatchObject({ nonce: 'before-restart' });
    second.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('takes over an unreadable lock file and leaves a lock it no longer owns alone', () => {
    const dir = folder();
    writeFileSync(path.join(dir, LOCK_FILE), '{"pid": 12');
    const { lock } = DataDirLock.acquire(dir, 'cli');
    writeLock(dir, { pid: process.ppid, nonce: 'someone-else' });
    lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(true);
  });
});
