import { utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StudioCore } from '../../core/studioCore';
import type { GarbageReport } from '../../store/garbageCollector';
import { tempDir } from '../../testing/fixtures';
import { main } from '../studio';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await cleanup?.();
  cleanup = null;
});

/** `studio <args>` in this process: its exit code and what it printed on stdout. */
async function studio(...args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(['node', 'studio', ...args]), out };
  } finally {
    vi.restoreAllMocks();
  }
}

describe('studio gc', () => {
  it('--dry-run --json lists an orphaned blob without removing it; gc then reclaims it', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const dataDir = path.join(t.dir, 'data');
    const core = new StudioCore({ dataDir, shell: 'browser', workerPath: '/none/mlWorker.js' });
    const sha = await core.blobs.put(Buffer.from('left behind by a killed import'));
    await core.close();
    const old = new Date(Date.now() - 7 * 24 * 60 * 60 * 1000);
    utimesSync(core.blobs.pathOf(sha), old, old);

    const dry = await studio('--data-dir', dataDir, 'gc', '--dry-run', '--json');
    expect(dry.code).toBe(0);
    const report = JSON.parse(dry.out) as GarbageReport;
    expect(report).toMatchObject({ dryRun: true, files: 1, bytes: 30 });
    expect(report.swept[0]?.path).toBe(path.join('blobs', sha.slice(0, 2), sha.slice(2)));
    expect(core.blobs.has(sha)).toBe(true);

    expect((await studio('--data-dir', dataDir, 'gc')).out).toMatch(/Reclaimed 1 file, 30 B\./);
    expect(core.blobs.has(sha)).toBe(false);
    expect((await studio('--data-dir', dataDir, 'gc')).out).toMatch(/Reclaimed 0 files, 0 B\./);
  });
});
