import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { prepareDataDir } from './dataDir';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

function root(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return t.dir;
}

const modeOf = (dir: string): number => statSync(dir).mode & 0o777;

// Windows has no POSIX permission bits to check.
describe.skipIf(process.platform === 'win32')('prepareDataDir (POSIX permissions)', () => {
  it('creates a new data dir owner-only', () => {
    const dir = path.join(root(), 'studio');
    expect(prepareDataDir(dir)).toBe('created');
    expect(modeOf(dir)).toBe(0o700);
  });

  it('tightens the open data dir an earlier version made (it holds studio.db)', () => {
    const dir = root();
    writeFileSync(path.join(dir, 'studio.db'), '');
    chmodSync(dir, 0o755);
    expect(prepareDataDir(dir)).toBe('tightened');
    expect(modeOf(dir)).toBe(0o700);
    expect(prepareDataDir(dir)).toBe('unchanged');
  });

  it('leaves the permissions of a folder that is not the studio’s alone', () => {
    const dir = path.join(root(), 'shared-project');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'notes.txt'), 'team notes');
    chmodSync(dir, 0o755);
    expect(prepareDataDir(dir)).toBe('unchanged');
    expect(modeOf(dir)).toBe(0o755);
  });

  it('tightens an empty folder chosen for the studio', () => {
    const dir = path.join(root(), 'empty');
    mkdirSync(dir, { mode: 0o775 });
    chmodSync(dir, 0o775);
    expect(prepareDataDir(dir)).toBe('tightened');
    expect(modeOf(dir)).toBe(0o700);
  });
});
