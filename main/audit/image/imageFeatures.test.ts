import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { digitPixels, greyPng, rgbaPng, sampleDigit } from '../testing/auditKit';
import { extractImageFeatures } from './imageFeatures';
import { blankVerdict } from './imageQuality';

/** A 28×28 RGBA image whose alpha is the digit and whose colour is one value everywhere. */
async function iconOnTransparent(value: number): Promise<Buffer> {
  const digit = await digitPixels(3, 0);
  const rgba = new Uint8Array(28 * 28 * 4);
  digit.forEach((alpha, p) => rgba.set([value, value, value, alpha], p * 4));
  return rgbaPng(rgba, 28);
}

describe('image features and the blank/corrupt verdicts', () => {
  it('reads a real digit as content, not blank', async () => {
    const f = await extractImageFeatures(sampleDigit(7, 3));
    expect(f.ok).toBe(true);
    expect([f.width, f.height, f.chroma]).toEqual([28, 28, 0]);
    expect(f.neighbourCorrelation).toBeGreaterThan(0.5);
    expect(blankVerdict(f)).toEqual({ blank: false });
  });

  it('does not call a black icon on a transparent background blank (the trap), nor a white one', async () => {
    for (const value of [0, 255]) {
      const f = await extractImageFeatures(await iconOnTransparent(value));
      expect(f.ok).toBe(true);
      expect(f.hasAlpha).toBe(true);
      expect(blankVerdict(f)).toEqual({ blank: false });
      // The visible picture is the digit: the detail copy has contrast.
      expect(Math.max(...f.detail) - Math.min(...f.detail)).toBeGreaterThan(100);
    }
  });

  it('keeps a faint, semi-transparent glyph (alpha at most 89–127 of 255) as content', async () => {
    const digit = await digitPixels(5, 1);
    for (const maxAlpha of [40, 89, 127]) {
      const rgba = new Uint8Array(28 * 28 * 4);
      digit.forEach((v, p) => rgba.set([0, 0, 0, Math.round((v * maxAlpha) / 255)], p * 4));
      const f = await extractImageFeatures(await rgbaPng(rgba, 28));
      expect(f.transparentShare).toBeGreaterThan(0.999); // every pixel is mostly transparent…
      expect(blankVerdict(f)).toEqual({ blank: false }); // …and the glyph is still seen
    }
    // Hidden colour under alpha 0–2 is not seen either: that one is blank.
    const ghost = new Uint8Array(28 * 28 * 4);
    digit.forEach((v, p) => ghost.set([v, 255 - v, v, v > 128 ? 2 : 0], p * 4));
    expect(blankVerdict(await extractImageFeatures(await rgbaPng(ghost, 28)))).toMatchObject({
      blank: true,
      detail: 'fully-transparent',
    });
  });

  it('calls flat colours, a fully transparent image and pure noise blank', async () => {
    const flat = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#3a7' } })
      .png()
      .toBuffer();
    expect(blankVerdict(await extractImageFeatures(flat))).toMatchObject({
      blank: true,
      detail: 'single-colour',
    });
    const clear = await rgbaPng(new Uint8Array(28 * 28 * 4), 28);
    expect(blankVerdict(await extractImageFeatures(clear))).toMatchObject({
      blank: true,
      detail: 'fully-transparent',
    });
    let seed = 5;
    const noise = Uint8Array.from({ length: 32 * 32 }, () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed >> 23;
    });
    expect(blankVerdict(await extractImageFeatures(await greyPng(noise, 32)))).toMatchObject({
      blank: true,
      detail: 'noise',
    });
  });

  it('gives the same decoded hash to the same pixels in another format or channel layout', async () => {
    const png = sampleDigit(4, 2);
    const webp = await sharp(png).webp({ lossless: true }).toBuffer();
    const rgb = await sharp(png).toColourspace('srgb').png({ compressionLevel: 1 }).toBuffer();
    const [a, b, c, other] = await Promise.all(
      [png, webp, rgb, sampleDigit(4, 3)].map((bytes) => extractImageFeatures(bytes)),
    );
    expect(a?.decodedSha).toBe(b?.decodedSha);
    expect(a?.decodedSha).toBe(c?.decodedSha);
    expect(other?.decodedSha).not.toBe(a?.decodedSha);
  });

  it('reports empty, truncated and non-image bytes as undecodable with a reason', async () => {
    const png = sampleDigit(0, 0);
    for (const bytes of [
      Buffer.alloc(0),
      png.subarray(0, Math.floor(png.length / 2)),
      Buffer.from('not an image'),
    ]) {
      const f = await extractImageFeatures(bytes);
      expect(f.ok).toBe(false);
      expect(f.error).toMatch(/empty|cannot be decoded/);
    }
  });
});
