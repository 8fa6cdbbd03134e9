import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { OUTLIER_DEFAULTS } from '../outliers';
import { pictureFeatures } from './imageFeatures';
import { imageToneOutlyingness, toneStatistics } from './toneStatistics';

const SIDE = 28;

/** A soft blob (anti-aliased edges, like a scanned stroke) of random size and place. */
function blob(random: () => number): Uint8Array {
  const px = new Uint8Array(SIDE * SIDE);
  const cx = 10 + random() * 8;
  const cy = 10 + random() * 8;
  const r = 4 + random() * 4;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const d = Math.hypot(x - cx, y - cy);
      px[y * SIDE + x] = Math.round(255 * Math.max(0, Math.min(1, (r - d) / 2.5)));
    }
  return px;
}

function square(): Uint8Array {
  const px = new Uint8Array(SIDE * SIDE);
  for (let y = 8; y < 20; y++)
    for (let x = 8; x < 20; x++) if (y < 10 || y > 17 || x < 10 || x > 17) px[y * SIDE + x] = 255;
  return px;
}

const features = (px: Uint8Array, channels = 1) => ({
  ...pictureFeatures({ data: Buffer.from(px), width: SIDE, height: SIDE, channels }),
  decodedSha: '',
  width: SIDE,
  height: SIDE,
});

describe('tone outlyingness', () => {
  it('sets apart an inverted and a hard-edged drawn image from soft scans, and no scan', () => {
    const random = seededRandom(7);
    const images = Array.from({ length: 300 }, () => blob(random));
    images.push(
      blob(random).map((v) => 255 - v),
      square(),
    );
    const z = imageToneOutlyingness(images.map((px) => features(px)));
    const normal = Array.from(z.subarray(0, 300));
    expect(Math.max(...normal)).toBeLessThan(OUTLIER_DEFAULTS.toneZ);
    expect(z[300]).toBeGreaterThan(OUTLIER_DEFAULTS.toneZ);
    expect(z[301]).toBeGreaterThan(OUTLIER_DEFAULTS.toneZ);
  });

  it('does not score a kind of image too rare to compare (a few transparent ones)', () => {
    const random = seededRandom(3);
    const opaque = Array.from({ length: 300 }, () => features(blob(random)));
    const rgba = (px: Uint8Array) => {
      const out = new Uint8Array(px.length * 4);
      px.forEach((v, p) => out.set([0, 0, 0, v], p * 4));
      return features(out, 4);
    };
    const z = imageToneOutlyingness([...opaque, rgba(blob(random)), rgba(blob(random))]);
    expect(z[300]).toBe(0);
    expect(z[301]).toBe(0);
  });

  it('measures grey levels: a two-level drawing has far fewer than a soft scan', () => {
    const levels = (px: Uint8Array) => toneStatistics(features(px))[7] as number;
    expect(levels(square())).toBeLessThan(levels(blob(seededRandom(1))) / 2);
  });
});
