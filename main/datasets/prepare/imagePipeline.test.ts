import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESSING } from '../versions/preprocessing';
import {
  backgroundBytes,
  normalizeInto,
  prepareImage,
  resolveImageSettings,
  trainingChannels,
  type ResolvedImageSettings,
} from './imagePipeline';

/** A 4×2 RGBA image: left half opaque white, right half fully transparent. */
async function halfTransparent(): Promise<Buffer> {
  const pixels = Buffer.alloc(4 * 2 * 4);
  for (let y = 0; y < 2; y++) {
    for (let x = 0; x < 4; x++) {
      const at = (y * 4 + x) * 4;
      if (x < 2) pixels.set([255, 255, 255, 255], at);
    }
  }
  return sharp(pixels, { raw: { width: 4, height: 2, channels: 4 } })
    .png()
    .toBuffer();
}

const settings = (patch: Partial<ResolvedImageSettings>): ResolvedImageSettings => ({
  ...DEFAULT_PREPROCESSING.image,
  channels: 3,
  ...patch,
});

describe('image preprocessing', () => {
  it('resolves auto channels from the items: grey only when every item is grey', () => {
    expect(trainingChannels([1, 2, 1])).toBe(1);
    expect(trainingChannels([1, 4])).toBe(3);
    expect(
      resolveImageSettings({ ...DEFAULT_PREPROCESSING.image, channels: 3 }, [1]).channels,
    ).toBe(3);
  });

  it('flattens transparency onto the chosen background', async () => {
    const out = await prepareImage(
      await halfTransparent(),
      settings({ size: 4, fit: 'stretch', background: '#ff0000' }),
    );
    expect(out.length).toBe(4 * 4 * 3);
    // Top-left is the white half, top-right the red background.
    expect([...out.subarray(0, 3)]).toEqual([255, 255, 255]);
    expect([...out.subarray(3 * 3, 3 * 3 + 3)]).toEqual([255, 0, 0]);
  });

  it('pads a wide image with the background, crops it, or stretches it', async () => {
    const wide = await halfTransparent();
    const bg = { background: '#0000ff', size: 4 };
    const pad = await prepareImage(wide, settings({ ...bg, fit: 'pad' }));
    // Padding fills the top row; the image sits in the middle rows.
    expect([...pad.subarray(0, 3)]).toEqual([0, 0, 255]);
    expect([...pad.subarray(4 * 3, 4 * 3 + 3)]).toEqual([255, 255, 255]);
    const crop = await prepareImage(wide, settings({ ...bg, fit: 'crop' }));
    // Cropping keeps the centre: the white/blue boundary sits in the middle of every row.
    expect(crop[0]).toBeGreaterThan(200);
    expect(crop[3 * 3 + 2]).toBe(255);
    const stretch = await prepareImage(wide, settings({ ...bg, fit: 'stretch' }));
    expect([...stretch.subarray(0, 3)]).toEqual([255, 255, 255]);
  });

  it('makes grey from colour when asked, with the background as its luminance', async () => {
    const s = settings({ size: 2, channels: 1, background: '#ffffff' });
    expect((await prepareImage(await halfTransparent(), s)).length).toBe(4);
    expect(backgroundBytes(s)).toEqual([255]);
    expect(backgroundBytes(settings({ background: '#102030' }))).toEqual([16, 32, 48]);
  });

  it('normalises to 0…1', () => {
    const target = new Float32Array(3);
    normalizeInto(new Uint8Array([0, 255, 51]), target, 0);
    expect([...target]).toEqual([0, 1, 0.2].map(Math.fround));
  });
});
