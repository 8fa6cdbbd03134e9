import { symlinkSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../db/connection';
import { sha256 } from '../../store/blobStore';
import { pngBytes, writeFile } from '../../testing/fixtures';
import { importFolder as importImageFolder } from './importFolder';
import { importKit, type ImportKit } from '../testing/importKit';

let kit: ImportKit;
let dir: string;
let db: Db;
let deps: ImportKit['deps'];

beforeEach(() => {
  kit = importKit();
  ({ dir, db, deps } = kit);
});
afterEach(() => kit.close());

describe('importFolder (images)', () => {
  it('imports PNG, JPEG and WebP with sub-folders as classes, and lists every file it skipped', async () => {
    const src = path.join(dir, 'shapes');
    await writeFile(src, 'circle/a.png', await pngBytes(1));
    await writeFile(
      src,
      'circle/b.jpg',
      await sharp(await pngBytes(2))
        .jpeg()
        .toBuffer(),
    );
    await writeFile(
      src,
      'square/c.webp',
      await sharp(await pngBytes(3))
        .webp()
        .toBuffer(),
    );
    await writeFile(src, 'loose.png', await pngBytes(4));
    const good = await pngBytes(5, 32);
    await writeFile(src, 'square/truncated.png', good.subarray(0, good.length - 40));
    await writeFile(src, 'square/notes.txt', 'not an image');
    await writeFile(src, 'square/empty.png', '');

    const report = await importImageFolder(deps, src);

    expect(report.importedCount).toBe(4);
    expect(report.dataset.itemCount).toBe(4);
    expect(report.dataset.name).toBe('shapes');
    expect(report.dataset.classes).toEqual([
      { label: 'circle', count: 2 },
      { label: 'square', count: 1 },
      { label: null, count: 1 },
    ]);
    const reasons = Object.fromEntries(
      report.skipped.map((s) => [path.basename(s.sourcePath), s.reason]),
    );
    expect(Object.keys(reasons).sort()).toEqual(['empty.png', 'notes.txt', 'truncated.png']);
    expect(reasons['truncated.png']).toMatch(/corrupt or truncated png/);
    expect(reasons['notes.txt']).toMatch(/not an image/);
    expect(reasons['empty.png']).toMatch(/empty file/);
    // The report is stored with the dataset.
    expect(deps.repository.get(report.dataset.id)?.skipped).toEqual(report.skipped);
    const page = deps.repository.items(report.dataset.latestVersionId, 0, 10);
    expect(page.items.map((i) => i.format).sort()).toEqual(['jpeg', 'png', 'png', 'webp']);
    for (const item of page.items) expect(deps.thumbnails.pathOf(item.blobSha)).toBeTruthy();
  });

  it('does not follow symbolic links, so a link loop cannot trap it', async () => {
    const src = path.join(dir, 'loop');
    await writeFile(src, 'a/one.png', await pngBytes(1));
    symlinkSync(src, path.join(src, 'a', 'back-to-root'));
    const report = await importImageFolder(deps, src);
    expect(report.importedCount).toBe(1);
    expect(report.skipped).toEqual([
      { sourcePath: path.join(src, 'a', 'back-to-root'), reason: 'symbolic link, not followed' },
    ]);
  });

  it('stores identical files once (content-addressed) but keeps both items', async () => {
    const src = path.join(dir, 'dupes');
    const bytes = await pngBytes(7);
    await writeFile(src, 'x/one.png', bytes);
    await writeFile(src, 'x/two.png', bytes);
    const report = await importImageFolder(deps, src);
    const page = deps.repository.items(report.dataset.latestVersionId, 0, 10);
    expect(page.total).toBe(2);
    expect(new Set(page.items.map((i) => i.blobSha)).size).toBe(1);
  });

  it('numbers the items in the order of the folder, whichever file finishes first', async () => {
    // Item ids decide each version's train/validation split (versions/split.ts), so an import
    // must give the same folder the same ids however the files in flight interleave. Here the
    // first file is held back until every other file's bytes are stored, so it finishes last.
    const src = path.join(dir, 'ordered');
    const names = ['a.png', 'b.png', 'c.png', 'd.png', 'e.png'];
    const shas = new Map<string, string>();
    for (const [i, name] of names.entries()) {
      const bytes = await pngBytes(i + 1);
      await writeFile(src, name, bytes);
      shas.set(sha256(bytes), name);
    }
    let othersStored = 0;
    let releaseFirst = (): void => {};
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const blobs = Object.create(deps.blobs) as typeof deps.blobs;
    blobs.putWithSha = async (sha, bytes) => {
      if (shas.get(sha) === 'a.png') await firstHeld;
      await deps.blobs.putWithSha(sha, bytes);
      if (shas.get(sha) !== 'a.png' && ++othersStored === names.length - 1) {
        setImmediate(releaseFirst);
      }
    };
    const report = await importImageFolder({ ...deps, blobs }, src);
    const page = deps.repository.items(report.dataset.latestVersionId, 0, 10);
    expect(page.items.map((i) => path.basename(i.sourcePath))).toEqual(names);
  });

  it('refuses an image too large to decode safely before decoding it', async () => {
    const src = path.join(dir, 'bomb');
    // A 12000×12000 PNG of one colour compresses to a few KB but would decode to 432 MB.
    const bomb = await sharp({
      create: { width: 12000, height: 12000, channels: 3, background: '#000' },
    })
      .png({ compressionLevel: 9 })
      .toBuffer();
    await writeFile(src, 'bomb.png', bomb);
    const report = await importImageFolder(deps, src);
    expect(report.importedCount).toBe(0);
    expect(report.skipped[0]?.reason).toMatch(/too large to decode safely/);
  });

  it('reports a missing folder clearly', async () => {
    await expect(importImageFolder(deps, path.join(dir, 'nope'))).rejects.toThrow(/does not exist/);
  });

  it('leaves no visible dataset when interrupted, and the next start clears it', async () => {
    // What a killed process leaves: a dataset row still 'importing' with some items.
    const id = deps.repository.beginDataset('half', 'image', '/somewhere');
    deps.repository.addItems(id, [
      {
        blobSha: 'a'.repeat(64),
        kind: 'image',
        label: null,
        sourcePath: '/somewhere/a.png',
        format: 'png',
        width: 1,
        height: 1,
        channels: 1,
        byteSize: 1,
      },
    ]);
    expect(deps.repository.list()).toEqual([]);
    expect(deps.repository.get(id)).toBeNull();
    expect(deps.repository.removeUnfinishedImports()).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 0 });
    // And the same folder imports cleanly afterwards.
    const src = path.join(dir, 'again');
    await writeFile(src, 'k/one.png', await pngBytes(1));
    expect((await importImageFolder(deps, src)).importedCount).toBe(1);
  });

  it('cancels on request and removes what it had added', async () => {
    const src = path.join(dir, 'many');
    for (let i = 0; i < 20; i++) await writeFile(src, `c/${i}.png`, await pngBytes(i));
    const controller = new AbortController();
    const run = importImageFolder(deps, src, {
      signal: controller.signal,
      onProgress: ({ done }) => {
        if (done === 3) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/cancelled/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM datasets').get()).toEqual({ n: 0 });
  });
});
