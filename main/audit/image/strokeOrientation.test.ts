import { describe, expect, it } from 'vitest';
import { digitPixels } from '../testing/auditKit';
import { pictureFeatures } from './imageFeatures';
import { placementOf } from './pixels';
import { ORIENTATION_DIM, strokeOrientations } from './strokeOrientation';

const SIDE = 28;

function source(px: Uint8Array, side = SIDE) {
  return {
    detail: px,
    detailWidth: side,
    detailHeight: side,
    placement: placementOf(px, side, side),
  };
}

/** A bar of ink (255) on black, vertical or horizontal, through the middle. */
function bar(vertical: boolean, offset = 0): Uint8Array {
  const px = new Uint8Array(SIDE * SIDE);
  for (let y = 4; y < 24; y++)
    for (let x = 12; x < 16; x++) {
      const [xx, yy] = vertical ? [x + offset, y] : [y, x + offset];
      px[yy * SIDE + xx] = 255;
    }
  return px;
}

/** Share of the histogram's mass in each of the 9 orientation bins, summed over all cells. */
function byOrientation(h: Float32Array): number[] {
  const bins = new Array<number>(9).fill(0);
  h.forEach((v, i) => (bins[i % 9] = (bins[i % 9] as number) + v));
  const total = bins.reduce((a, b) => a + b, 0);
  return bins.map((b) => b / total);
}

const cosine = (a: Float32Array, b: Float32Array): number => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += (a[i] as number) * (b[i] as number);
    aa += (a[i] as number) ** 2;
    bb += (b[i] as number) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

describe('stroke orientations', () => {
  it('puts a vertical and a horizontal stroke in different orientation bins', () => {
    const vertical = byOrientation(strokeOrientations(source(bar(true))));
    const horizontal = byOrientation(strokeOrientations(source(bar(false))));
    // A vertical stroke's edges have horizontal gradients (bin 0 and its wrap-around neighbour
    // 8), a horizontal stroke's vertical ones (bin 4, around 90°).
    expect((vertical[0] as number) + (vertical[8] as number)).toBeGreaterThan(0.6);
    expect(horizontal[4] as number).toBeGreaterThan(0.5);
    expect(horizontal[0] as number).toBeLessThan(0.1);
  });

  it('reads light-on-dark and dark-on-light strokes alike, and a flat picture as nothing', async () => {
    const digit = await digitPixels(4, 3);
    const inverted = digit.map((v) => 255 - v);
    const a = strokeOrientations(source(digit));
    const b = strokeOrientations(source(inverted));
    expect(a).toHaveLength(ORIENTATION_DIM);
    expect(cosine(a, b)).toBeGreaterThan(0.999);
    expect(
      strokeOrientations(source(new Uint8Array(SIDE * SIDE).fill(90))).every((v) => v === 0),
    ).toBe(true);
  });

  it('follows the content when it is moved, but tells two digits apart', async () => {
    const moved = strokeOrientations(source(bar(true, 5)));
    const centred = strokeOrientations(source(bar(true)));
    expect(cosine(moved, centred)).toBeGreaterThan(0.95);
  });

  it('tells digits apart by nearest neighbour better than the grey registered vector does', async () => {
    // Leave-one-out 1-NN over the bundled digits (30 of each), by cosine similarity.
    const hog: Float32Array[] = [];
    const grey: Float32Array[] = [];
    const labels: number[] = [];
    for (let d = 0; d < 10; d++)
      for (let i = 0; i < 30; i++) {
        const px = await digitPixels(d, i);
        hog.push(strokeOrientations(source(px)));
        grey.push(
          pictureFeatures({ data: Buffer.from(px), width: SIDE, height: SIDE, channels: 1 }).coarse,
        );
        labels.push(d);
      }
    const accuracy = (vectors: Float32Array[]): number => {
      let right = 0;
      vectors.forEach((v, i) => {
        let best = -1;
        let bestSim = -Infinity;
        vectors.forEach((w, j) => {
          const sim = j === i ? -Infinity : cosine(v, w);
          if (sim > bestSim) {
            bestSim = sim;
            best = j;
          }
        });
        if (labels[best] === labels[i]) right++;
      });
      return right / vectors.length;
    };
    const byStrokes = accuracy(hog);
    const byGrey = accuracy(grey);
    // Measured: 0.92 against 0.88.
    expect(byStrokes).toBeGreaterThan(byGrey);
    expect(byStrokes).toBeGreaterThanOrEqual(0.9);
  });
});
