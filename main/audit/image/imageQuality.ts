import type { SkippedFile } from '../../../preload/contract';
import { clamp01, member, round, type AuditItem, type DraftFinding } from '../types';
import type { ImageFeatures } from './imageFeatures';

/** Below this standard deviation (0–255) in every channel, composited both ways, an image is one flat colour. */
export const FLAT_STD = 3;
/** Neighbouring pixels of pictures correlate (> 0.5 even for thin strokes); pure noise does not. */
export const NOISE_CORRELATION = 0.2;
/** Noise must also have contrast: a nearly flat image with faint sensor noise is "flat", not noise. */
const NOISE_MIN_STD = 10;

export type BlankVerdict =
  | { blank: false }
  | { blank: true; detail: 'fully-transparent' | 'single-colour' | 'noise'; score: number };

/**
 * Blank or low-information, judged on what a person sees: an image is flat only if it is flat
 * composited on black *and* on white (so a black icon on a transparent background is content),
 * and it is noise only if its neighbouring pixels are unrelated.
 */
export function blankVerdict(f: ImageFeatures): BlankVerdict {
  if (!f.ok) return { blank: false };
  // "Transparent" is what a person sees, not the alpha channel: a glyph drawn at alpha 100 of
  // 255 is mostly "more than half transparent" yet plainly visible composited on a background.
  // Only when the composite on black and on white is also flat is the image blank.
  if (f.hasAlpha && f.transparentShare >= 0.999 && f.contentStd < FLAT_STD) {
    return { blank: true, detail: 'fully-transparent', score: 1 };
  }
  if (f.contentStd < FLAT_STD) {
    return {
      blank: true,
      detail: 'single-colour',
      score: round(1 - f.contentStd / (2 * FLAT_STD)),
    };
  }
  if (Math.abs(f.neighbourCorrelation) < NOISE_CORRELATION && f.contentStd >= NOISE_MIN_STD) {
    return {
      blank: true,
      detail: 'noise',
      score: round(clamp01(1 - Math.abs(f.neighbourCorrelation) / NOISE_CORRELATION) * 0.5 + 0.5),
    };
  }
  return { blank: false };
}

export function blankFinding(
  item: AuditItem,
  f: ImageFeatures,
  verdict: BlankVerdict,
): DraftFinding | null {
  if (!verdict.blank) return null;
  const what = {
    'fully-transparent': 'is fully transparent',
    'single-colour': 'is a single flat colour',
    noise: 'is pure noise (no structure between neighbouring pixels)',
  }[verdict.detail];
  return {
    type: 'blank',
    detail: verdict.detail,
    severity: 'high',
    score: verdict.score,
    title: `${item.sourcePath} ${what}`,
    action: 'exclude',
    members: [member(item, 'subject')],
    evidence: {
      contentStd: round(f.contentStd, 2),
      neighbourCorrelation: round(f.neighbourCorrelation, 3),
      transparentShare: round(f.transparentShare, 3),
    },
  };
}

export function undecodableFinding(item: AuditItem, reason: string): DraftFinding {
  return {
    type: 'corrupt',
    detail: reason.startsWith('empty')
      ? 'empty'
      : reason.startsWith('missing')
        ? 'missing-file'
        : 'undecodable',
    severity: 'high',
    score: 1,
    title: `${item.sourcePath} ${reason}`,
    action: 'exclude',
    members: [member(item, 'subject')],
    evidence: { reason },
  };
}

// Import remarks that are about the folder, not about a damaged file.
const NOT_DAMAGE = [
  /system (file|folder)/i,
  /symbolic link/i,
  /labels file/i,
  /not a regular file/i,
];

/**
 * Files the import could not use: they are not items, but a person asked to see everything that
 * is wrong with their data, and a truncated or empty file is exactly that.
 */
export function skippedFileFindings(skipped: readonly SkippedFile[]): DraftFinding[] {
  return skipped
    .filter((s) => !NOT_DAMAGE.some((pattern) => pattern.test(s.reason)))
    .map((s) => ({
      type: 'corrupt',
      detail: /empty|0 bytes/i.test(s.reason)
        ? 'empty'
        : /truncat|corrupt|cannot be decoded/i.test(s.reason)
          ? 'undecodable'
          : 'unusable',
      severity: 'high',
      score: 1,
      title: `${s.sourcePath} was left out at import: ${s.reason}`,
      action: 'review',
      members: [{ itemId: null, sourcePath: s.sourcePath, role: 'subject' }],
      evidence: { reason: s.reason, skippedAtImport: true },
    }));
}
