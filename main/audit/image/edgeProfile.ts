// How an image's edges are rendered: the share of its edges that are crisp (a vector glyph
// rasterised with one pixel of anti-aliasing), soft (a scan, an upscaled photo) or graded (a
// shaded illustration). The registered grey embedding and the tone statistics both miss this:
// on the icon-outliers fixture a handwritten digit or a shaded legacy icon among flat symbolic
// glyphs is neither unusually shaped nor unusually toned (AUC 0.7 and 0.92), yet every one of
// them has softer edges than any glyph (AUC 1.0 for this profile, measured on the fixture).

import type { ImageFeatures } from './imageFeatures';
import { areaResample, type Pixels } from './pixels';
import { outlyingnessByKind } from './toneStatistics';

/**
 * The side every image is resampled to before its edges are measured. Edge width is counted in
 * pixels, so it must be counted at one scale: a scan saved at twice its size has edges twice as
 * wide in its own pixels, yet it is the same picture. 48 keeps a 48-pixel icon's one-pixel
 * anti-aliasing intact (at 32 it is blurred into two and glyphs read as soft).
 */
export const EDGE_SIDE = 48;
/** Bins of edge sharpness (gradient over the local range, 0–0.5 and above). */
export const EDGE_BINS = 4;
/** A pixel is on an edge when its 5×5 neighbourhood spans this share of the image's contrast. */
const EDGE_RANGE = 0.1;
/**
 * Below this gradient (contrast per pixel) a pixel beside an edge is flat, and counts with the
 * softest edges: a crisp glyph is flat right up to its one-pixel edge, a scan or a render is not.
 * Not exactly zero, so float rounding of a flat fill does not decide it.
 */
const PLATEAU = 0.01;

/** Bilinear upsampling: a small image grows smooth, not into blocks that would read as crisp. */
function bilinear(src: Pixels, w: number, h: number, outW: number, outH: number): Float32Array {
  const out = new Float32Array(outW * outH);
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(h - 1, Math.max(0, ((y + 0.5) * h) / outH - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < outW; x++) {
      const fx = Math.min(w - 1, Math.max(0, ((x + 0.5) * w) / outW - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(w - 1, x0 + 1);
      const tx = fx - x0;
      const top = (src[y0 * w + x0] as number) * (1 - tx) + (src[y0 * w + x1] as number) * tx;
      const bottom = (src[y1 * w + x0] as number) * (1 - tx) + (src[y1 * w + x1] as number) * tx;
      out[y * outW + x] = top * (1 - ty) + bottom * ty;
    }
  }
  return out;
}

/** The picture with its longest side at `side`: area-averaged down, bilinear up. */
export function atCanonicalSide(
  src: Pixels,
  w: number,
  h: number,
  side = EDGE_SIDE,
): { pixels: Pixels; width: number; height: number } {
  const scale = side / Math.max(w, h);
  const width = Math.max(1, Math.round(w * scale));
  const height = Math.max(1, Math.round(h * scale));
  if (width === w && height === h) return { pixels: src, width, height };
  const pixels =
    scale < 1 ? areaResample(src, w, h, width, height) : bilinear(src, w, h, width, height);
  return { pixels, width, height };
}

/**
 * EDGE_BINS shares (summing to 1, or all 0 without edges) of the pixels around the image's edges
 * (5×5 neighbourhood spanning EDGE_RANGE of its contrast) by sharpness, softest first.
 * Sharpness is the gradient (Sobel, in contrast units per pixel) over that neighbourhood's
 * range: about 1 / edge width in pixels, so it does not depend on how dark or how large the
 * content is. Of the pixels with a gradient, only edge centres count (largest gradient across
 * the edge), so a thin stroke and a wide one are measured alike; flat pixels beside an edge
 * (PLATEAU) count as sharpness 0.
 */
export function edgeProfile(visible: Pixels, w: number, h: number): Float32Array {
  const out = new Float32Array(EDGE_BINS);
  if (w < 3 || h < 3) return out;
  const { pixels, width, height } = atCanonicalSide(visible, w, h);
  const n = width * height;
  // Normalised by the picture's own range (0–1), not measured from a background: sharpness is
  // the same for a dark glyph on light and a light one on dark, and a border half covered by the
  // glyph would give a background in between, folding every edge into two soft ones.
  let lowest = Infinity;
  let highest = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = pixels[i] as number;
    if (v < lowest) lowest = v;
    if (v > highest) highest = v;
  }
  const contrast = highest - lowest;
  if (!(contrast > 0)) return out;
  const ink = new Float32Array(n);
  for (let i = 0; i < n; i++) ink[i] = ((pixels[i] as number) - lowest) / contrast;
  const at = (x: number, y: number): number =>
    ink[
      Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))
    ] as number;
  const gx = new Float32Array(n);
  const gy = new Float32Array(n);
  const magnitude = new Float32Array(n);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const dx =
        at(x + 1, y - 1) +
        2 * at(x + 1, y) +
        at(x + 1, y + 1) -
        (at(x - 1, y - 1) + 2 * at(x - 1, y) + at(x - 1, y + 1));
      const dy =
        at(x - 1, y + 1) +
        2 * at(x, y + 1) +
        at(x + 1, y + 1) -
        (at(x - 1, y - 1) + 2 * at(x, y - 1) + at(x + 1, y - 1));
      const p = y * width + x;
      gx[p] = dx / 8;
      gy[p] = dy / 8;
      magnitude[p] = Math.hypot(dx, dy) / 8;
    }
  const magnitudeAt = (x: number, y: number): number =>
    x < 0 || y < 0 || x >= width || y >= height ? 0 : (magnitude[y * width + x] as number);
  let counted = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const m = magnitude[p] as number;
      const flat = m < PLATEAU;
      // Edge centres only: not smaller than the neighbours along the gradient.
      if (!flat) {
        const sx = Math.round((gx[p] as number) / m);
        const sy = Math.round((gy[p] as number) / m);
        if (m < magnitudeAt(x + sx, y + sy) || m < magnitudeAt(x - sx, y - sy)) continue;
      }
      let low = 1;
      let high = 0;
      for (let dy = -2; dy <= 2; dy++)
        for (let dx = -2; dx <= 2; dx++) {
          const v = at(x + dx, y + dy);
          if (v < low) low = v;
          if (v > high) high = v;
        }
      const range = high - low;
      if (range <= EDGE_RANGE) continue;
      const bin = Math.min(EDGE_BINS - 1, Math.floor((m / range) * 2 * EDGE_BINS));
      out[bin] = (out[bin] as number) + 1;
      counted++;
    }
  if (counted > 0) for (let b = 0; b < EDGE_BINS; b++) out[b] = (out[b] as number) / counted;
  return out;
}

/**
 * The least spread (in share units) a bin is standardised by. A share is counted over a few
 * hundred edge pixels, so it moves by a few points between two pictures of one kind; on
 * uniform data (synthetic glyphs, where the sharpest bin is 0 for all but one) the tone's 0.01
 * made a 5-point share score 19 times the median image.
 */
const EDGE_MIN_SPREAD = 0.03;

/**
 * Per image, how unusual its edges are among the images of its own kind: the robust
 * Mahalanobis distance of its edge profile, in multiples of the median image's (see
 * toneOutlyingness). A dataset of crisp glyphs sets a soft scan apart, and one of scans a crisp
 * drawing, whichever is the rule there.
 */
export function imageEdgeOutlyingness(features: readonly ImageFeatures[]): Float64Array {
  return outlyingnessByKind(features, (f) => Float64Array.from(f.edgeProfile), EDGE_MIN_SPREAD);
}
