import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { pngBytes } from '../../testing/fixtures';
import { inspectImage } from './inspectImage';

async function reasonFor(bytes: Uint8Array): Promise<string> {
  const outcome = await inspectImage(bytes);
  return outcome.ok ? 'imported' : outcome.reason;
}

/** A 2×2 24-bit BMP, the format sharp does not read. */
function bmp(): Buffer {
  const b = Buffer.alloc(54 + 16);
  b.write('BM', 0, 'latin1');
  b.writeUInt32LE(b.length, 2);
  b.writeUInt32LE(54, 10);
  b.writeUInt32LE(40, 14);
  b.writeInt32LE(2, 18);
  b.writeInt32LE(2, 22);
  b.writeUInt16LE(1, 26);
  b.writeUInt16LE(24, 28);
  return b;
}

describe('inspectImage: a file sharp cannot read is named for what it is', () => {
  it('calls an image cut off inside its header damaged, not "not an image"', async () => {
    const png = await pngBytes(1, 16, 3);
    const jpeg = await sharp(png).jpeg().toBuffer();
    const webp = await sharp(png).webp().toBuffer();
    for (const [format, bytes] of [
      ['png', png],
      ['jpeg', jpeg],
      ['webp', webp],
    ] as const) {
      expect(await reasonFor(bytes.subarray(0, 20))).toBe(
        `cannot be decoded: corrupt or truncated ${format} (its header is damaged or cut off)`,
      );
    }
  });

  it('names unsupported image formats and files that are no image at all', async () => {
    expect(await reasonFor(bmp())).toBe(
      'unsupported image format (BMP); convert it to PNG or JPEG',
    );
    expect(await reasonFor(Buffer.from('%PDF-1.7\n%%EOF\n'))).toBe('not an image (a PDF document)');
    const zip = Buffer.concat([Buffer.from('PK\u0003\u0004', 'latin1'), Buffer.alloc(30)]);
    expect(await reasonFor(zip)).toBe('not an image (a ZIP archive; unpack it first)');
    const heic = Buffer.concat([
      Buffer.from([0, 0, 0, 24]),
      Buffer.from('ftypheic\0\0\0\0mif1heic'),
    ]);
    expect(await reasonFor(heic)).toMatch(/^HEIC photo/);
    expect(await reasonFor(Buffer.from('BMW service notes, not a bitmap'))).toBe(
      'not an image (no known image format)',
    );
  });

  it('does not repeat libvips messages, which can belong to another file decoding at once', async () => {
    const png = await pngBytes(2, 64, 3);
    const reason = await reasonFor(png.subarray(0, png.length - 40));
    expect(reason).toBe('cannot be decoded: corrupt or truncated png');
  });
});
