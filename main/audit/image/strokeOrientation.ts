// A second view of an image for the label classifier: where its strokes run, as histograms of
// gradient orientation per cell (after Dalal & Triggs, "Histograms of Oriented Gradients for
// Human Detection", 2005), on the picture registered and resampled to a small grid. The
// embedding the classifier otherwise learns from is a PCA of grey levels, which a classifier
// needs many examples per class to read; stroke directions in a place are what tells a 4 from a
// 9, a 3 from an 8, whatever the pen's thickness or the ink's shade, and they need no training to
// compute. Computed from the cached detail copy, so it costs no decode and no cache change.

import { areaResample, type Placement } from './pixels';

/** Side of the grid the gradients are taken on. */
export const ORIENTATION_SIDE = 24;
/** Cells per side (each ORIENTATION_SIDE / CELLS pixels). */
const CELLS = 4;
/** Unsigned orientation bins over 0–180°: a stroke's two edges vote for the same direction. */
const BINS = 9;
/** Blocks of 2×2 cells, one cell apart, each normalised on its own (contrast varies locally). */
const BLOCKS = CELLS - 1;
export const ORIENTATION_DIM = BLOCKS * BLOCKS * 4 * BINS;
/** Dalal & Triggs' L2-Hys: no single gradient may carry more than this share of a block. */
const CLIP = 0.2;

export interface OrientationSource {
  detail: Uint8Array;
  detailWidth: number;
  detailHeight: number;
  placement: Placement;
}

/**
 * The ORIENTATION_DIM-long histogram of one picture. Ink is the distance from the background
 * level, so dark-on-light and light-on-dark strokes read alike; a flat picture gives zeros.
 */
export function strokeOrientations(source: OrientationSource): Float32Array {
  const { detail, detailWidth: w, detailHeight: h, placement } = source;
  const side = ORIENTATION_SIDE;
  const out = new Float32Array(ORIENTATION_DIM);
  if (w === 0 || h === 0) return out;
  // Registered as the embedding's vector is: the content's centre in the middle.
  const window = {
    x0: (placement.cx - 0.5) * w,
    y0: (placement.cy - 0.5) * h,
    width: w,
    height: h,
  };
  const grey = areaResample(detail, w, h, side, side, window, placement.background);
  const ink = grey.map((v) => Math.abs(v - placement.background));
  const at = (x: number, y: number): number =>
    x >= 0 && x < side && y >= 0 && y < side ? (ink[y * side + x] as number) : 0;

  const cell = side / CELLS;
  const hist = new Float64Array(CELLS * CELLS * BINS);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const gx = at(x + 1, y) - at(x - 1, y);
      const gy = at(x, y + 1) - at(x, y - 1);
      const magnitude = Math.hypot(gx, gy);
      if (magnitude === 0) continue;
      let angle = Math.atan2(gy, gx);
      if (angle < 0) angle += Math.PI;
      // Linear between the two nearest bins' centres, and between the four nearest cells'
      // centres: a stroke one pixel over, or a few degrees turned, moves its vote gradually.
      const b = (angle / Math.PI) * BINS - 0.5;
      const b0 = Math.floor(b);
      const wb = b - b0;
      const cx = (x + 0.5) / cell - 0.5;
      const cy = (y + 0.5) / cell - 0.5;
      const x0 = Math.floor(cx);
      const y0 = Math.floor(cy);
      for (let dy = 0; dy <= 1; dy++) {
        const yy = y0 + dy;
        if (yy < 0 || yy >= CELLS) continue;
        const wy = dy === 0 ? 1 - (cy - y0) : cy - y0;
        for (let dx = 0; dx <= 1; dx++) {
          const xx = x0 + dx;
          if (xx < 0 || xx >= CELLS) continue;
          const wx = dx === 0 ? 1 - (cx - x0) : cx - x0;
          const base = (yy * CELLS + xx) * BINS;
          const v = magnitude * wx * wy;
          const lo = (b0 + BINS) % BINS;
          const hi = (b0 + 1) % BINS;
          hist[base + lo] = (hist[base + lo] as number) + v * (1 - wb);
          hist[base + hi] = (hist[base + hi] as number) + v * wb;
        }
      }
    }
  }

  let o = 0;
  const block = new Float64Array(4 * BINS);
  for (let by = 0; by < BLOCKS; by++) {
    for (let bx = 0; bx < BLOCKS; bx++) {
      let k = 0;
      for (let dy = 0; dy < 2; dy++)
        for (let dx = 0; dx < 2; dx++) {
          const base = ((by + dy) * CELLS + bx + dx) * BINS;
          for (let t = 0; t < BINS; t++) block[k++] = hist[base + t] as number;
        }
      l2Hys(block);
      for (let t = 0; t < block.length; t++) out[o++] = block[t] as number;
    }
  }
  return out;
}

function l2Hys(v: Float64Array): void {
  const normalise = (): void => {
    let sum = 0;
    for (const x of v) sum += x * x;
    const norm = Math.sqrt(sum);
    if (norm < 1e-9) return;
    for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  };
  normalise();
  for (let i = 0; i < v.length; i++) v[i] = Math.min(v[i] as number, CLIP);
  normalise();
}
