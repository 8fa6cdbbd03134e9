import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures';
import { BlobStore, sha256 } from './blobStore';

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
});

describe('BlobStore', () => {
  it('stores by content hash under a two-letter fan-out and deduplicates', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'blobs'));
    const bytes = Buffer.from('hello studio');
    const sha = await store.put(bytes);
    expect(sha).toBe(sha256(bytes));
    expect(store.pathOf(sha)).toBe(path.join(t.dir, 'blobs', sha.slice(0, 2), sha.slice(2)));
    expect(await store.put(Buffer.from('hello studio'))).toBe(sha);
    expect(readdirSync(path.join(t.dir, 'blobs', sha.slice(0, 2)))).toEqual([sha.slice(2)]);
    expect((await store.read(sha)).toString()).toBe('hello studio');
  });

  it('writes a blob again when a power cut left it empty or short, and keeps a whole one', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const store = new BlobStore(path.join(t.dir, 'blobs'));
    const bytes = Buffer.from('a blob the disk never got');
    const sha = await store.put(bytes);
    for (const torn of ['', 'a blob']) {
      writeFileSync(store.pathOf(sha), torn);
      await store.putWithSha(sha, bytes);
      expect((await store.read(sha)).toString()).toBe('a blob the disk never got');
    }
    const { ino } = statSync(store.pathOf(sha));
    await store.putWithSha(sha, bytes);
    expect(statSync(store.pathOf(sha)).ino).toBe(ino);
  });

  it('refuses ids that are not hashes (no path escapes)', () => {
    const store = new BlobStore(path.join(tempDir().dir, 'blobs'));
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/Not a blob id/);
  });
});
