import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { digitPixels, greyPng, sampleDigit, shifted } from '../testing/auditKit';
import { extractImageFeatures, type ImageFeatures } from '../image/imageFeatures';
import { nearestNeighbours } from '../index/knn';
import { NO_CONTROL } from '../types';
import { findImageNearDuplicates } from './imageNearDuplicates';

/** Groups (as sets of names) that the near-duplicate detector forms over these images. */
async function groupsOf(named: Record<string, Uint8Array>): Promise<string[][]> {
  const names = Object.keys(named);
  const features: ImageFeatures[] = await Promise.all(
    names.map((n) => extractImageFeatures(named[n] as Uint8Array)),
  );
  const dim = features[0]?.coarse.length ?? 0;
  const points = new Float32Array(names.length * dim);
  features.forEach((f, i) => points.set(f.coarse, i * dim));
  const neighbours = await nearestNeighbours(points, names.length, dim, 10, NO_CONTROL);
  const rows = names.map((_, i) => i);
  const result = await findImageNearDuplicates(
    rows,
    (i) => features[i] as ImageFeatures,
    neighbours,
    NO_CONTROL,
  );
  return result.groups.map((g) => g.members.map((m) => names[m] as string).sort());
}

describe('near-duplicate images', () => {
  it('groups a digit with its JPEG, resized, shifted and brightened copies', async () => {
    const original = sampleDigit(5, 4);
    const pixels = await digitPixels(5, 4);
    const images: Record<string, Uint8Array> = {
      original,
      jpeg: await sharp(original).jpeg({ quality: 75 }).toBuffer(),
      bigger: await sharp(original).resize(56, 56).png().toBuffer(),
      shifted: await greyPng(shifted(pixels, 28, 2, -1), 28),
      brighter: await greyPng(
        pixels.map((v) => Math.min(255, Math.round(v * 1.2))),
        28,
      ),
    };
    // Other digits around it, so the neighbourhood is a real one.
    for (let i = 0; i < 12; i++) images[`other-${i}`] = sampleDigit(i % 10, 10 + i);
    const groups = await groupsOf(images);
    expect(groups).toEqual([['bigger', 'brighter', 'jpeg', 'original', 'shifted']]);
  });

  it('does not group two different handwritten 1s, however alike (the trap)', async () => {
    const images: Record<string, Uint8Array> = {};
    // Every bundled "1": thin vertical strokes that correlate highly with each other.
    for (let i = 0; i < 30; i++) images[`one-${i}`] = sampleDigit(1, i);
    expect(await groupsOf(images)).toEqual([]);
  });
});
