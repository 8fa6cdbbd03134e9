import { readFileSync } from 'node:fs';
import path from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pngBytes, writeFile } from '../../testing/fixtures';
import { importFolder } from './importFolder';
import { importKit, reasonsByName, type ImportKit } from '../testing/importKit';
import { inspectImage } from './inspectImage';

let kit: ImportKit;
beforeEach(() => {
  kit = importKit();
});
afterEach(() => kit.close());

/** An 8×8 RGBA icon: an opaque red square in the middle of a transparent background. */
async function icon(): Promise<Sharp> {
  const pixels = Buffer.alloc(8 * 8 * 4);
  for (let y = 2; y < 6; y++)
    for (let x = 2; x < 6; x++) pixels.set([255, 0, 0, 255], (y * 8 + x) * 4);
  return sharp(pixels, { raw: { width: 8, height: 8, channels: 4 } });
}

async function facts(bytes: Uint8Array) {
  const outcome = await inspectImage(bytes);
  if (!outcome.ok) throw new Error(outcome.reason);
  return outcome.facts;
}

describe('inspectImage: every format sharp decodes', () => {
  it('reads PNG in grey, RGB and RGBA', async () => {
    const grey = await sharp(await pngBytes(1, 8, 1))
      .toColourspace('b-w')
      .png()
      .toBuffer();
    expect(await facts(grey)).toEqual({
      format: 'png',
      width: 8,
      height: 8,
      channels: 1,
    });
    expect((await facts(await pngBytes(1, 8, 3))).channels).toBe(3);
    expect((await facts(await pngBytes(1, 8, 4))).channels).toBe(4);
  });

  it('reads JPEG, WebP, TIFF and AVIF', async () => {
    const base = sharp(await pngBytes(2, 16, 3));
    expect((await facts(await base.clone().jpeg().toBuffer())).format).toBe('jpeg');
    expect((await facts(await base.clone().webp().toBuffer())).format).toBe('webp');
    expect((await facts(await base.clone().tiff().toBuffer())).format).toBe('tiff');
    expect(await facts(await base.clone().avif().toBuffer())).toMatchObject({
      format: 'avif',
      width: 16,
      height: 16,
    });
  });

  it('takes the first frame of an animated GIF, and of a multi-page TIFF', async () => {
    const frame = (background: string) =>
      sharp({ create: { width: 8, height: 8, channels: 3, background } })
        .png()
        .toBuffer();
    const red = await frame('#ff0000');
    const blue = await frame('#0000ff');
    const gif = await sharp([red, blue, red], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(gif).metadata()).pages).toBe(3);
    const outcome = await inspectImage(gif);
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.facts).toMatchObject({ format: 'gif', width: 8, height: 8 });
    const { data } = await sharp(outcome.thumbnail).raw().toBuffer({ resolveWithObject: true });
    expect([data[0], data[1], data[2]]).toEqual([255, 0, 0]);

    const pages = Buffer.alloc(8 * 24 * 3, 90);
    const tiff = await sharp(pages, { raw: { width: 8, height: 24, channels: 3, pageHeight: 8 } })
      .tiff()
      .toBuffer();
    expect(await facts(tiff)).toMatchObject({ format: 'tiff', width: 8, height: 8 });
  });

  it('renders SVG', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#0a0"/></svg>',
    );
    expect(await facts(svg)).toMatchObject({ format: 'svg', width: 40, height: 20 });
  });

  it('reports a phone photo at its displayed size (EXIF orientation applied)', async () => {
    const rotated = await sharp(await pngBytes(3, 16, 3))
      .resize(20, 10, { fit: 'fill' })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await facts(rotated)).toMatchObject({ width: 10, height: 20 });
  });

  it('keeps transparency in the thumbnail: an icon is not a black square', async () => {
    const outcome = await inspectImage(await (await icon()).png().toBuffer());
    if (!outcome.ok) throw new Error(outcome.reason);
    const { data, info } = await sharp(outcome.thumbnail)
      .raw()
      .toBuffer({ resolveWithObject: true });
    expect(info.channels).toBe(4);
    // The corner stays transparent; the middle stays red.
    expect(data[3]).toBe(0);
    const middle = ((info.height / 2) * info.width + info.width / 2) * 4;
    expect([...data.subarray(middle, middle + 4)]).toEqual([255, 0, 0, 255]);
  });

  it('shrinks a large image to a thumbnail of at most 96 pixels', async () => {
    const big = await sharp(await pngBytes(4, 8, 3))
      .resize(800, 400, { kernel: 'nearest' })
      .jpeg()
      .toBuffer();
    const outcome = await inspectImage(big);
    if (!outcome.ok) throw new Error(outcome.reason);
    const meta = await sharp(outcome.thumbnail).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 96, 48]);
  });
});

describe('importFolder: formats in one folder', () => {
  it('imports each format with its real format, and notes a file whose name lies', async () => {
    const src = path.join(kit.dir, 'mixed');
    const base = sharp(await pngBytes(5, 16, 3));
    await writeFile(src, 'a/photo.jpg', await base.clone().jpeg().toBuffer());
    await writeFile(src, 'a/web.webp', await base.clone().webp().toBuffer());
    await writeFile(src, 'a/scan.tiff', await base.clone().tiff().toBuffer());
    await writeFile(src, 'a/new.avif', await base.clone().avif().toBuffer());
    await writeFile(src, 'b/icon.png', await (await icon()).png().toBuffer());
    await writeFile(src, 'b/anim.gif', await base.clone().gif().toBuffer());
    await writeFile(
      src,
      'b/logo.svg',
      '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>',
    );
    // A PNG saved with a .jpg name, as browsers and phones often do.
    await writeFile(src, 'b/really-a-png.jpg', await pngBytes(6, 8, 3));
    await writeFile(src, 'b/no-extension', await pngBytes(7, 8, 3));

    const report = await importFolder(kit.deps, src);
    expect(report.skipped).toEqual([]);
    expect(report.importedCount).toBe(9);
    const page = kit.deps.repository.items(report.dataset.latestVersionId, 0, 20);
    const formats = Object.fromEntries(
      page.items.map((i) => [path.basename(i.sourcePath), i.format]),
    );
    expect(formats).toEqual({
      'photo.jpg': 'jpeg',
      'web.webp': 'webp',
      'scan.tiff': 'tiff',
      'new.avif': 'avif',
      'icon.png': 'png',
      'anim.gif': 'gif',
      'logo.svg': 'svg',
      'really-a-png.jpg': 'png',
      'no-extension': 'png',
    });
    expect(reasonsByName(report.notes)).toEqual({
      'really-a-png.jpg': 'a PNG image named .jpg; imported as PNG',
    });
    expect(kit.deps.repository.get(report.dataset.id)?.notes).toEqual(report.notes);
    for (const item of page.items) {
      const thumb = readFileSync(kit.deps.thumbnails.pathOf(item.blobSha));
      expect((await sharp(thumb).metadata()).format).toBe('png');
    }
  });
});
