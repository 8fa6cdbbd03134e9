import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../common/random';
import { nearestNeighbours } from '../index/knn';
import { outlierScores, OUTLIER_DEFAULTS } from '../outliers';
import { NO_CONTROL } from '../types';
import { EDGE_BINS, edgeProfile, imageEdgeOutlyingness } from './edgeProfile';
import { COARSE_SIDE, pictureFeatures } from './imageFeatures';
import { imageToneOutlyingness } from './toneStatistics';

type Inside = (x: number, y: number) => boolean;

/** Dark ink on white, each pixel's ink its exact coverage (4×4 samples): a rasterised glyph. */
function render(inside: Inside, side: number): Float32Array {
  const px = new Float32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let covered = 0;
      for (let sy = 0; sy < 4; sy++)
        for (let sx = 0; sx < 4; sx++)
          if (inside((x + (sx + 0.5) / 4) / side, (y + (sy + 0.5) / 4) / side)) covered++;
      px[y * side + x] = 255 - (255 * covered) / 16;
    }
  return px;
}

/** Box blur of radius r, twice: the soft edges of a scan or an upscaled photo. */
function blurred(px: Float32Array, side: number, r: number): Float32Array {
  let current = px;
  for (let pass = 0; pass < 2; pass++)
    for (const horizontal of [true, false]) {
      const next = new Float32Array(current.length);
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) {
          let sum = 0;
          let n = 0;
          for (let d = -r; d <= r; d++) {
            const xx = horizontal ? x + d : x;
            const yy = horizontal ? y : y + d;
            if (xx < 0 || yy < 0 || xx >= side || yy >= side) continue;
            sum += current[yy * side + xx] as number;
            n++;
          }
          next[y * side + x] = sum / n;
        }
      current = next;
    }
  return current;
}

/** A random glyph of bars, boxes and rings (coordinates 0–1): varied shapes of one kind. */
function glyph(random: () => number): Inside {
  const parts: Inside[] = [];
  const count = 1 + Math.floor(random() * 3);
  for (let k = 0; k < count; k++) {
    const cx = 0.3 + random() * 0.4;
    const cy = 0.3 + random() * 0.4;
    const size = 0.1 + random() * 0.25;
    const stroke = 0.04 + random() * 0.08;
    const kind = Math.floor(random() * 3);
    if (kind === 0) parts.push((x, y) => Math.abs(x - cx) < size && Math.abs(y - cy) < stroke);
    else if (kind === 1)
      parts.push((x, y) => {
        const dx = Math.abs(x - cx);
        const dy = Math.abs(y - cy);
        return dx < size && dy < size && (dx > size - stroke || dy > size - stroke);
      });
    else parts.push((x, y) => Math.abs(Math.hypot(x - cx, y - cy) - size) < stroke / 2);
  }
  return (x, y) => parts.some((inside) => inside(x, y));
}

const features = (px: Float32Array, side: number) => ({
  ...pictureFeatures({
    data: Buffer.from(Uint8Array.from(px, (v) => Math.round(v))),
    width: side,
    height: side,
    channels: 1,
  }),
  decodedSha: '',
  width: side,
  height: side,
});

const SIDE = 48;

async function scores(images: Float32Array[]) {
  const f = images.map((px) => features(px, SIDE));
  const dim = COARSE_SIDE * COARSE_SIDE;
  const coarse = new Float32Array(f.length * dim);
  f.forEach((one, r) => coarse.set(one.coarse, r * dim));
  const neighbours = await nearestNeighbours(coarse, f.length, dim, 10, NO_CONTROL);
  return outlierScores(
    neighbours,
    f.length,
    undefined,
    OUTLIER_DEFAULTS,
    imageToneOutlyingness(f),
    imageEdgeOutlyingness(f),
  );
}

describe('edge profile', () => {
  it('puts a crisp glyph and the same glyph blurred in different bins', () => {
    const shape = glyph(seededRandom(4));
    const crisp = edgeProfile(render(shape, SIDE), SIDE, SIDE);
    const soft = edgeProfile(blurred(render(shape, SIDE), SIDE, 2), SIDE, SIDE);
    expect(crisp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    // The sharpest bin holds a glyph's one-pixel edges; a blurred copy has few of them.
    expect(crisp[EDGE_BINS - 1] as number).toBeGreaterThan(2 * (soft[EDGE_BINS - 1] as number));
  });

  it('measures one picture alike at 28 and at 56 pixels (scale, not file size)', () => {
    // A ring whose edges fade over a tenth of the image: the same soft picture at two sizes.
    const ring = (side: number) => {
      const px = new Float32Array(side * side);
      for (let y = 0; y < side; y++)
        for (let x = 0; x < side; x++) {
          const d = Math.abs(Math.hypot((x + 0.5) / side - 0.5, (y + 0.5) / side - 0.5) - 0.3);
          px[y * side + x] = 255 * Math.min(1, Math.max(0, (d - 0.05) / 0.1));
        }
      return px;
    };
    const small = edgeProfile(ring(28), 28, 28);
    const large = edgeProfile(ring(56), 56, 56);
    const difference = small.reduce((sum, v, b) => sum + Math.abs(v - (large[b] as number)), 0);
    expect(difference).toBeLessThan(0.25);
  });
});

describe('edge outlyingness in the outlier score', () => {
  it('flags a soft scan among varied crisp glyphs, and no glyph', async () => {
    const random = seededRandom(11);
    const images = Array.from({ length: 200 }, () => render(glyph(random), SIDE));
    images.push(blurred(render(glyph(random), SIDE), SIDE, 2));
    const s = await scores(images);
    expect(s.edgeZ[200]).toBeGreaterThan(OUTLIER_DEFAULTS.edgeZ);
    expect(s.z[200]).toBeGreaterThanOrEqual(1);
    expect(Math.max(...s.z.subarray(0, 200))).toBeLessThan(1);
  });

  it('flags nothing in a folder of varied images of one kind (soft scans of all shapes)', async () => {
    const random = seededRandom(12);
    const images = Array.from({ length: 200 }, () => blurred(render(glyph(random), SIDE), SIDE, 2));
    const s = await scores(images);
    expect(Math.max(...s.edgeZ)).toBeLessThan(OUTLIER_DEFAULTS.edgeZ);
    expect(Math.max(...s.z)).toBeLessThan(1);
  });

  it('gives the same scores for the same images', async () => {
    const make = () => {
      const random = seededRandom(13);
      return Array.from({ length: 60 }, () => render(glyph(random), SIDE));
    };
    const [a, b] = [await scores(make()), await scores(make())];
    expect(Array.from(a.edgeZ)).toEqual(Array.from(b.edgeZ));
    expect(Array.from(a.z)).toEqual(Array.from(b.z));
  });
});
