import { promises as fs, symlinkSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngBytes, writeFile } from '../../testing/fixtures';
import { importFolder, type ImportFs } from './importFolder';
import { importKit, reasonsByName, type ImportKit } from '../testing/importKit';

let kit: ImportKit;
beforeEach(() => {
  kit = importKit();
});
afterEach(() => kit.close());

function permissionDenied(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`EACCES: permission denied, open '${file}'`), { code: 'EACCES' });
}

describe('importFolder: bad input is a line in the report, never a crash', () => {
  it('reports truncated, empty and mislabelled files and imports the good ones', async () => {
    const src = path.join(kit.dir, 'bad');
    const png = await pngBytes(1, 32, 3);
    const jpeg = await sharp(await pngBytes(2, 64, 3))
      .jpeg()
      .toBuffer();
    await writeFile(src, 'c/good.png', png);
    await writeFile(src, 'c/truncated.png', png.subarray(0, png.length - 40));
    await writeFile(src, 'c/truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await writeFile(src, 'c/empty.png', '');
    await writeFile(src, 'c/garbage.png', Buffer.from('this is not a PNG at all, just text'));
    await writeFile(src, 'c/readme.txt', 'notes about the pictures');
    await writeFile(src, 'c/photo.webp', jpeg);

    const report = await importFolder(kit.deps, src);
    expect(report.importedCount).toBe(2);
    const reasons = reasonsByName(report.skipped);
    expect(reasons).toEqual({
      'truncated.png': expect.stringMatching(/corrupt or truncated png/),
      'truncated.jpg': expect.stringMatching(/corrupt or truncated jpeg/),
      'empty.png': 'empty file (0 bytes)',
      'garbage.png': 'not an image (no known image format)',
      'readme.txt': expect.stringMatching(/^not an image/),
    });
    expect(reasonsByName(report.notes)).toEqual({
      'photo.webp': 'a JPEG image named .webp; imported as JPEG',
    });
  });

  it('reports files and folders it may not read (permission denied, injected: tests run as root)', async () => {
    const src = path.join(kit.dir, 'locked');
    await writeFile(src, 'open/ok.png', await pngBytes(1));
    await writeFile(src, 'open/secret.png', await pngBytes(2));
    await writeFile(src, 'closed/hidden.png', await pngBytes(3));
    const io: ImportFs = {
      stat: (f) => fs.stat(f),
      readFile: (f) =>
        f.endsWith('secret.png') ? Promise.reject(permissionDenied(f)) : fs.readFile(f),
      readdir: (d) =>
        d.endsWith('closed')
          ? Promise.reject(permissionDenied(d))
          : fs.readdir(d, { withFileTypes: true }),
    };
    const report = await importFolder({ ...kit.deps, fs: io }, src);
    expect(report.importedCount).toBe(1);
    expect(reasonsByName(report.skipped)).toEqual({
      'secret.png': 'cannot be read: permission denied (EACCES)',
      closed: 'folder cannot be read: permission denied (EACCES)',
    });
  });

  it('refuses a file too large to hold in memory before reading it', async () => {
    const src = path.join(kit.dir, 'huge');
    await writeFile(src, 'a.png', await pngBytes(1));
    const io: ImportFs = {
      stat: async () => ({ size: 3 * 1024 * 1024 * 1024 }),
      readFile: () => Promise.reject(new Error('must not be read')),
    };
    const report = await importFolder({ ...kit.deps, fs: io }, src);
    expect(report.skipped[0]?.reason).toMatch(/^file too large \(3072 MB/);
  });

  it('ignores system files and folders, and does not follow symbolic links', async () => {
    const src = path.join(kit.dir, 'disk');
    await writeFile(src, 'cats/a.png', await pngBytes(1));
    await writeFile(src, 'cats/.DS_Store', 'x');
    await writeFile(src, 'cats/._a.png', 'AppleDouble');
    await writeFile(src, 'Thumbs.db', 'x');
    await writeFile(src, '__MACOSX/cats/._a.png', 'x');
    symlinkSync(src, path.join(src, 'cats', 'loop'));
    const report = await importFolder(kit.deps, src);
    expect(report.importedCount).toBe(1);
    expect(reasonsByName(report.skipped)).toEqual({
      '.DS_Store': 'system file, ignored',
      '._a.png': 'system file, ignored',
      'Thumbs.db': 'system file, ignored',
      __MACOSX: 'system folder, ignored',
      loop: 'symbolic link, not followed',
    });
  });

  it('walks very deep nesting; the class is the first folder level', async () => {
    const deep = Array.from({ length: 80 }, (_, i) => `d${i}`).join('/');
    const src = path.join(kit.dir, 'deep');
    await writeFile(src, `${deep}/bottom.png`, await pngBytes(1));
    await writeFile(src, 'd0/top.png', await pngBytes(2));
    const report = await importFolder(kit.deps, src);
    expect(report.skipped).toEqual([]);
    expect(report.dataset.classes).toEqual([{ label: 'd0', count: 2 }]);
  });

  it('keeps names in any script and spells each class one way (NFC)', async () => {
    const src = path.join(kit.dir, 'unicode');
    // The same "café" as macOS writes it (decomposed) and as Windows writes it (composed).
    await writeFile(src, 'cafe\u0301/1.png', await pngBytes(1));
    await writeFile(src, 'caf\u00e9/2.png', await pngBytes(2));
    await writeFile(src, '猫/🐈 кошка.png', await pngBytes(3));
    await writeFile(src, 'חתול/"quotes" & <tags>.png', await pngBytes(4));
    const report = await importFolder(kit.deps, src);
    expect(report.skipped).toEqual([]);
    expect(report.dataset.classes.map((c) => [c.label, c.count])).toEqual([
      ['café', 2],
      ['חתול', 1],
      ['猫', 1],
    ]);
    const page = kit.deps.repository.items(report.dataset.latestVersionId, 0, 10);
    expect(page.items.map((i) => path.basename(i.sourcePath))).toContain('🐈 кошка.png');
  });

  it('reports a file whose name is not valid UTF-8 (Linux allows any bytes)', async () => {
    const src = path.join(kit.dir, 'bytes');
    await writeFile(src, 'c/ok.png', await pngBytes(1));
    await fs.writeFile(
      Buffer.concat([Buffer.from(`${src}/c/`), Buffer.from([0xff, 0xfe]), Buffer.from('.png')]),
      await pngBytes(2),
    );
    const report = await importFolder(kit.deps, src);
    expect(report.importedCount).toBe(1);
    expect(report.skipped.map((s) => s.reason)).toEqual([
      'cannot be read: its name is not valid UTF-8 (rename the file)',
    ]);
  });

  it('a folder of nothing usable still becomes a dataset with its report', async () => {
    const src = path.join(kit.dir, 'junk');
    await writeFile(src, 'a.png', '');
    const report = await importFolder(kit.deps, src);
    expect(report.importedCount).toBe(0);
    expect(report.dataset.itemCount).toBe(0);
    expect(kit.deps.repository.get(report.dataset.id)?.skipped).toHaveLength(1);
  });

  it('says clearly when the folder is missing or is a file', async () => {
    await expect(importFolder(kit.deps, path.join(kit.dir, 'nope'))).rejects.toThrow(
      /does not exist/,
    );
    const file = await writeFile(kit.dir, 'single.png', await pngBytes(1));
    await expect(importFolder(kit.deps, file)).rejects.toThrow(/is a file; choose a folder/);
  });
});
