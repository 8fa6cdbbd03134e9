// Small pixel routines the image detectors share. Everything works on one-channel float or byte
// images, row-major, and is written for images of a few dozen pixels a side: the audit compares
// small registered copies, never full-resolution photos.

export type Pixels = Float32Array | Uint8Array;

/**
 * Area-averaging resample of the window [x0, x0+winW) × [y0, y0+winH) of a w×h image to
 * outW×outH; pixels outside the image read as `fill`. Area averaging (not interpolation) is what
 * makes a 56-pixel and a 28-pixel copy of one picture come out alike at 16 pixels.
 */
export function areaResample(
  src: Pixels,
  w: number,
  h: number,
  outW: number,
  outH: number,
  window: { x0: number; y0: number; width: number; height: number } = {
    x0: 0,
    y0: 0,
    width: w,
    height: h,
  },
  fill = 0,
): Float32Array {
  const out = new Float32Array(outW * outH);
  const sx = window.width / outW;
  const sy = window.height / outH;
  for (let oy = 0; oy < outH; oy++) {
    const y0 = window.y0 + oy * sy;
    const y1 = y0 + sy;
    for (let ox = 0; ox < outW; ox++) {
      const x0 = window.x0 + ox * sx;
      const x1 = x0 + sx;
      let acc = 0;
      let weight = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y1, y + 1) - Math.max(y0, y);
        if (wy <= 0) continue;
        const inY = y >= 0 && y < h;
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x1, x + 1) - Math.max(x0, x);
          if (wx <= 0) continue;
          const v = inY && x >= 0 && x < w ? (src[y * w + x] as number) : fill;
          acc += v * wx * wy;
          weight += wx * wy;
        }
      }
      out[oy * outW + ox] = weight > 0 ? acc / weight : fill;
    }
  }
  return out;
}

/** Where the content of an image sits, robust to a noisy or JPEG-rippled background. */
export interface Placement {
  /** Background level: the median of the border pixels. */
  background: number;
  /** Centre of the content as a fraction of width and height (0.5 = centred). */
  cx: number;
  cy: number;
}

export function placementOf(src: Pixels, w: number, h: number): Placement {
  const border: number[] = [];
  for (let x = 0; x < w; x++) border.push(src[x] as number, src[(h - 1) * w + x] as number);
  for (let y = 1; y < h - 1; y++) border.push(src[y * w] as number, src[y * w + w - 1] as number);
  border.sort((a, b) => a - b);
  const background = border[Math.floor(border.length / 2)] ?? 0;
  let maxDev = 0;
  for (let i = 0; i < w * h; i++)
    maxDev = Math.max(maxDev, Math.abs((src[i] as number) - background));
  // Only clearly-content pixels pull the centre, so JPEG ripples in the background do not.
  const threshold = 0.2 * maxDev;
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const weight = Math.max(0, Math.abs((src[y * w + x] as number) - background) - threshold);
      mass += weight;
      mx += weight * (x + 0.5);
      my += weight * (y + 0.5);
    }
  }
  if (mass === 0) return { background, cx: 0.5, cy: 0.5 };
  return { background, cx: mx / mass / w, cy: my / mass / h };
}

/**
 * The image resampled to size×size with its content's centre moved to the middle, then made
 * zero-mean and unit-length: a shifted, resized, brightened or darkened copy of a picture gives
 * (nearly) the same vector, so one dot product compares two images.
 */
export function registeredVector(
  src: Pixels,
  w: number,
  h: number,
  placement: Placement,
  size: number,
): Float32Array {
  const window = {
    x0: (placement.cx - 0.5) * w,
    y0: (placement.cy - 0.5) * h,
    width: w,
    height: h,
  };
  return normalizeInPlace(areaResample(src, w, h, size, size, window, placement.background));
}

/** Zero mean, unit length; a flat image becomes all zeros (it correlates with nothing). */
export function normalizeInPlace(v: Float32Array): Float32Array {
  let mean = 0;
  for (let i = 0; i < v.length; i++) mean += v[i] as number;
  mean /= v.length || 1;
  let norm = 0;
  for (let i = 0; i < v.length; i++) {
    const d = (v[i] as number) - mean;
    v[i] = d;
    norm += d * d;
  }
  norm = Math.sqrt(norm);
  if (norm < 1e-6) v.fill(0);
  else for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) / norm;
  return v;
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
}

/**
 * Lag-1 autocorrelation of neighbouring pixels (across and down): near 1 for pictures, near 0
 * for pure noise, whatever its brightness or contrast.
 */
export function neighbourCorrelation(src: Pixels, w: number, h: number): number {
  let n = 0;
  let mean = 0;
  for (let i = 0; i < w * h; i++) mean += src[i] as number;
  mean /= w * h || 1;
  let variance = 0;
  for (let i = 0; i < w * h; i++) variance += ((src[i] as number) - mean) ** 2;
  if (variance < 1e-9) return 1;
  let covariance = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const a = (src[y * w + x] as number) - mean;
      if (x + 1 < w) {
        covariance += a * ((src[y * w + x + 1] as number) - mean);
        n++;
      }
      if (y + 1 < h) {
        covariance += a * ((src[(y + 1) * w + x] as number) - mean);
        n++;
      }
    }
  }
  return covariance / n / (variance / (w * h));
}
