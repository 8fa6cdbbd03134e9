// Per-image tone statistics for the outlier score. The embedding the neighbour index uses is
// zero-mean and unit-length by design (a brightened copy must match its original), so it is
// blind to exactly what makes an inverted digit or a hard-edged synthetic shape odd: how bright
// the picture is, how much of it is ink, whether its edges are anti-aliased. These few numbers,
// each robustly z-scored against the dataset's own spread, say it instead.

import type { ImageFeatures } from './imageFeatures';

/** Names, in order, of the statistics `toneStatistics` returns (evidence and tests read them). */
export const TONE_STATISTICS = [
  'brightness',
  'contrast',
  'inkCoverage',
  'midTones',
  'edgeDensity',
  'darkShare',
  'lightShare',
  'greyLevels',
] as const;

/**
 * Images are compared in tone only with images of their own kind (transparent or opaque, colour
 * or grey), and a kind with fewer rows than this share (or MIN_KIND_ROWS) is not scored: a
 * black digit on a transparent background looks inverted once composited, and a handful of such
 * images is already reported for its channels, not for its look.
 */
const MIN_KIND_SHARE = 0.05;
const MIN_KIND_ROWS = 30;

/** Tone outlyingness per image, each against the images of its own kind (see MIN_KIND_SHARE). */
export function imageToneOutlyingness(features: readonly ImageFeatures[]): Float64Array {
  return outlyingnessByKind(features, toneStatistics);
}

/**
 * Per image, the robust outlyingness (`toneOutlyingness`) of `statisticsOf` against the images
 * of its own kind; 0 for images of a kind too rare to compare (see MIN_KIND_SHARE).
 */
export function outlyingnessByKind(
  features: readonly ImageFeatures[],
  statisticsOf: (f: ImageFeatures) => Float64Array,
  minSpread?: number,
): Float64Array {
  const out = new Float64Array(features.length);
  const kinds = new Map<string, number[]>();
  features.forEach((f, r) => {
    const kind = `${f.hasAlpha && f.transparentShare > 0 ? 'transparent' : 'opaque'}/${f.chroma > 8 ? 'colour' : 'grey'}`;
    kinds.set(kind, [...(kinds.get(kind) ?? []), r]);
  });
  for (const rows of kinds.values()) {
    if (rows.length < Math.max(MIN_KIND_ROWS, MIN_KIND_SHARE * features.length)) continue;
    const z = toneOutlyingness(
      rows.map((r) => statisticsOf(features[r] as ImageFeatures)),
      minSpread,
    );
    rows.forEach((r, i) => (out[r] = z[i] as number));
  }
  return out;
}

/** A pixel this far (0–255) from the background is ink. */
const INK_STEP = 64;
/** A pixel this far from the background counts as "touched" when measuring mid-tones. */
const TOUCHED_STEP = 16;

/** The tone statistics of one image's visible grey picture (`detail`), each in 0–1. */
export function toneStatistics(f: ImageFeatures): Float64Array {
  const { detail, detailWidth: w, detailHeight: h } = f;
  const n = detail.length || 1;
  const background = f.placement.background;
  let sum = 0;
  let sumSq = 0;
  let ink = 0;
  let touched = 0;
  let mid = 0;
  let dark = 0;
  let light = 0;
  const levels = new Uint8Array(256);
  for (let i = 0; i < detail.length; i++) {
    const v = detail[i] as number;
    sum += v;
    sumSq += v * v;
    const off = Math.abs(v - background);
    if (off > INK_STEP) ink++;
    if (off > TOUCHED_STEP) {
      touched++;
      levels[v] = 1;
      // Scanned strokes fade into the background through grey; drawn shapes jump.
      if (off < 255 - INK_STEP && v > 32 && v < 224) mid++;
    }
    if (v < 64) dark++;
    if (v > 192) light++;
  }
  let distinct = 0;
  for (const seen of levels) distinct += seen;
  const mean = sum / n;
  const std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
  let edges = 0;
  let pairs = 0;
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const v = detail[y * w + x] as number;
      if (x + 1 < w) {
        edges += Math.abs(v - (detail[y * w + x + 1] as number));
        pairs++;
      }
      if (y + 1 < h) {
        edges += Math.abs(v - (detail[(y + 1) * w + x] as number));
        pairs++;
      }
    }
  return Float64Array.from([
    mean / 255,
    std / 255,
    ink / n,
    touched ? mid / touched : 0,
    pairs ? edges / pairs / 255 : 0,
    dark / n,
    light / n,
    // Distinct grey levels of the content, on a log scale (0–1): scans and photographs use
    // dozens, drawn shapes one or two, and the step from 2 to 4 matters as much as 32 to 64.
    Math.log2(1 + distinct) / 8,
  ]);
}

/**
 * Per row, how unusual its tone is: its Mahalanobis distance from the dataset's typical tone,
 * under a robust covariance (fitted on the most typical `core` share of rows, refitted twice,
 * so the odd items themselves do not widen it). A plain sum of z-scores would count three
 * views of one thing (brightness, dark share, light share) three times, and so call a
 * heavy-handed digit stranger than a drawn ring whose two oddities (no grey edge, two grey
 * levels) are independent. Each statistic is first robustly standardised, with its spread
 * floored at `minSpread` (0–1 units) so a statistic that never varies on clean data cannot make
 * one small change infinitely unusual. Returned divided by √dims: ~1 for a typical row.
 */
export function toneOutlyingness(
  stats: readonly Float64Array[],
  minSpread = 0.01,
  core = 0.75,
): Float64Array {
  const rows = stats.length;
  const out = new Float64Array(rows);
  if (rows < 10) return out;
  const dims = (stats[0] as Float64Array).length;
  const z = stats.map(() => new Float64Array(dims));
  for (let d = 0; d < dims; d++) {
    const column = stats.map((s) => s[d] as number);
    const sorted = [...column].sort((a, b) => a - b);
    const median = sorted[Math.floor(rows / 2)] as number;
    const deviations = column.map((v) => Math.abs(v - median)).sort((a, b) => a - b);
    const spread = Math.max(minSpread, 1.4826 * (deviations[Math.floor(rows / 2)] as number));
    for (let r = 0; r < rows; r++)
      (z[r] as Float64Array)[d] = ((column[r] as number) - median) / spread;
  }
  let chosen = Array.from({ length: rows }, (_, r) => r);
  let distances = new Float64Array(rows);
  for (let round = 0; round < 3; round++) {
    const { mean, inverse } = fitGaussian(z, chosen, dims);
    distances = Float64Array.from(z, (v) => mahalanobis(v, mean, inverse));
    chosen = Array.from({ length: rows }, (_, r) => r)
      .sort((a, b) => (distances[a] as number) - (distances[b] as number))
      .slice(0, Math.max(dims + 1, Math.floor(core * rows)));
  }
  // Consistency: the core's distances are the small ones; rescale so the median row is ~1.
  const sorted = [...distances].sort((a, b) => a - b);
  const median = (sorted[Math.floor(rows / 2)] as number) || 1;
  for (let r = 0; r < rows; r++) out[r] = (distances[r] as number) / median;
  return out;
}

function fitGaussian(
  z: readonly Float64Array[],
  rows: readonly number[],
  dims: number,
): { mean: Float64Array; inverse: Float64Array } {
  const mean = new Float64Array(dims);
  for (const r of rows)
    for (let d = 0; d < dims; d++)
      mean[d] = (mean[d] as number) + ((z[r] as Float64Array)[d] as number) / rows.length;
  const cov = new Float64Array(dims * dims);
  for (const r of rows) {
    const v = z[r] as Float64Array;
    for (let a = 0; a < dims; a++)
      for (let b = 0; b < dims; b++)
        cov[a * dims + b] =
          (cov[a * dims + b] as number) +
          (((v[a] as number) - (mean[a] as number)) * ((v[b] as number) - (mean[b] as number))) /
            rows.length;
  }
  // A ridge keeps a statistic that is constant on the core (all-black backgrounds) invertible.
  for (let d = 0; d < dims; d++) cov[d * dims + d] = (cov[d * dims + d] as number) + 0.05;
  return { mean, inverse: invert(cov, dims) };
}

function mahalanobis(v: Float64Array, mean: Float64Array, inverse: Float64Array): number {
  const dims = v.length;
  let sum = 0;
  for (let a = 0; a < dims; a++) {
    const da = (v[a] as number) - (mean[a] as number);
    for (let b = 0; b < dims; b++)
      sum += da * (inverse[a * dims + b] as number) * ((v[b] as number) - (mean[b] as number));
  }
  return Math.sqrt(Math.max(0, sum));
}

/** Gauss–Jordan inverse of a symmetric positive-definite dims×dims matrix. */
function invert(matrix: Float64Array, dims: number): Float64Array {
  const a = Float64Array.from(matrix);
  const inv = new Float64Array(dims * dims);
  for (let d = 0; d < dims; d++) inv[d * dims + d] = 1;
  for (let col = 0; col < dims; col++) {
    const pivot = a[col * dims + col] as number;
    for (let c = 0; c < dims; c++) {
      a[col * dims + c] = (a[col * dims + c] as number) / pivot;
      inv[col * dims + c] = (inv[col * dims + c] as number) / pivot;
    }
    for (let row = 0; row < dims; row++) {
      if (row === col) continue;
      const f = a[row * dims + col] as number;
      if (f === 0) continue;
      for (let c = 0; c < dims; c++) {
        a[row * dims + c] = (a[row * dims + c] as number) - f * (a[col * dims + c] as number);
        inv[row * dims + c] = (inv[row * dims + c] as number) - f * (inv[col * dims + c] as number);
      }
    }
  }
  return inv;
}
