import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCK_FILE, type DataDirOwner } from '../common/dataDirLock';
import { openDatabase } from '../db/connection';
import { tempDir } from '../testing/fixtures';
import { StudioCore } from './studioCore';

// Two processes on one data dir: the second is refused and touches nothing; a lock left by a
// killed process is taken over, and only then is its half-done work made consistent. The ML worker
// is never started here, so its path does not matter.
const WORKER = path.join(__dirname, 'no-worker-needed.js');

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function dataDir(): string {
  const t = tempDir('studio-owner-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function open(dir: string): StudioCore {
  return new StudioCore({ dataDir: dir, shell: 'browser', workerPath: WORKER });
}

/** A run left 'running' and an upload left staged, as a killed process leaves them. */
function leaveHalfDoneWork(dir: string): { uploadFile: string } {
  const db = openDatabase(path.join(dir, 'studio.db'));
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'd', 'image', '/d', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now');
           INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
             total_steps, created_at)
             VALUES (1, 1, 1, 'dense-vae', 'vae-tiny', '{}', 'running', 5, 'now');`);
  db.close();
  const uploadFile = path.join(dir, 'uploads', 'staged', 'a.png');
  mkdirSync(path.dirname(uploadFile), { recursive: true });
  writeFileSync(uploadFile, 'png');
  return { uploadFile };
}

function runStatus(core: StudioCore): string | undefined {
  return core.runs.list()[0]?.status;
}

describe('one owner per data dir', () => {
  it("refuses a second StudioCore with the owner's name and leaves the owner's work alone", async () => {
    const dir = dataDir();
    const owner = open(dir);
    try {
      const { uploadFile } = leaveHalfDoneWork(dir);
      let refusal: unknown;
      try {
        open(dir);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toMatchObject({ code: 'conflict' });
      expect((refusal as Error).message).toMatch(
        new RegExp(`in use by a studio command \\(pid ${process.pid}, since .*\\)`),
      );
      // The live owner's run is still training and its upload still staged.
      expect(runStatus(owner)).toBe('running');
      expect(existsSync(uploadFile)).toBe(true);
    } finally {
      await owner.close();
    }
    const next = open(dir);
    expect(runStatus(next)).toBe('interrupted');
    await next.close();
  });

  it('takes over the lock of a killed process and then recovers its half-done work', async () => {
    const dir = dataDir();
    await open(dir).close();
    const { uploadFile } = leaveHalfDoneWork(dir);
    const dead = spawnSync(process.execPath, ['-e', '']).pid ?? 999_999;
    writeFileSync(
      path.join(dir, LOCK_FILE),
      JSON.stringify({ pid: dead, kind: 'server', since: 'then', nonce: 'killed' }),
    );
    const core = open(dir);
    try {
      const lock = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), 'utf8')) as DataDirOwner;
      expect(lock).toMatchObject({ pid: process.pid, kind: 'cli' });
      expect(runStatus(core)).toBe('interrupted');
      await vi.waitFor(() => expect(existsSync(uploadFile)).toBe(false));
    } finally {
      await core.close();
    }
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
