// How far the audit trusts each finding. A detector that is exact (identical bytes, a file that
// does not decode) is certain; one that rests on a model (label errors, outliers, near copies) is
// only as good as that model is on this dataset. Findings carry that confidence and its reason;
// the quality score counts only the findings the audit trusts.

import type { AuditConfidence, AuditFindingType } from '../../preload/contract';
import { clamp01, round, type DraftFinding } from './types';

/** At or above: 'high'. Below LOW: 'low', and the finding costs the score nothing. */
export const HIGH_CONFIDENCE = 0.8;
export const LOW_CONFIDENCE = 0.5;

/** Where a detector left its confidence in the finding's evidence (lifted out when read). */
export const CONFIDENCE_KEY = 'confidence';

export function confidence(value: number, why: string): AuditConfidence {
  const v = round(clamp01(value), 3);
  return {
    level: v >= HIGH_CONFIDENCE ? 'high' : v >= LOW_CONFIDENCE ? 'medium' : 'low',
    value: v,
    why,
  };
}

/** What the audit can say about a finding of a type whose detector gave no confidence. */
function byType(type: AuditFindingType, detail: string, score: number): AuditConfidence {
  switch (type) {
    case 'exact-duplicate':
      return confidence(1, 'the files hold the same bytes or the same decoded pixels or text');
    case 'corrupt':
      return confidence(1, 'the file could not be read or decoded');
    case 'blank':
      return detail === 'noise'
        ? confidence(
            0.5 + score / 2,
            'neighbouring pixels are unrelated, as in pure noise; a texture can look the same',
          )
        : confidence(1, 'composited on black and on white, the picture is one flat colour');
    case 'leakage':
      return confidence(Math.max(0.6, score), 'the same content is in training and validation');
    case 'class-imbalance':
    case 'missing':
      return confidence(1, 'counted from the labels and folders');
    case 'near-duplicate':
      return confidence(score, 'by the similarity of the pair; very simple shapes look alike');
    case 'outlier':
      return confidence(
        0.4 + 0.5 * score,
        'far from every other item; unusual is not always wrong, so look before excluding',
      );
    case 'label-error':
      return confidence(score, 'the classifier and the nearest neighbours disagree with the label');
    default:
      return confidence(0.4 + 0.5 * score, 'a rule about the text’s length, characters or lines');
  }
}

/** The finding's confidence: the detector's own when it gave one, else its type's. */
export function confidenceOf(f: Pick<DraftFinding, 'type' | 'detail' | 'score' | 'evidence'>) {
  const given = f.evidence[CONFIDENCE_KEY] as AuditConfidence | undefined;
  if (given && typeof given.value === 'number' && typeof given.why === 'string') return given;
  return byType(f.type, f.detail, f.score);
}

/** Whether a finding counts toward the quality score. */
export function trusted(f: Pick<DraftFinding, 'type' | 'detail' | 'score' | 'evidence'>): boolean {
  return confidenceOf(f).value >= LOW_CONFIDENCE;
}

/** The evidence a finding is stored with, its confidence recorded in it. */
export function withConfidence(f: DraftFinding): Record<string, unknown> {
  return { ...f.evidence, [CONFIDENCE_KEY]: confidenceOf(f) };
}

/** The stored evidence split into the finding's evidence and its confidence. */
export function splitConfidence(
  type: AuditFindingType,
  detail: string,
  score: number,
  stored: Record<string, unknown>,
): { evidence: Record<string, unknown>; confidence: AuditConfidence } {
  const { [CONFIDENCE_KEY]: _dropped, ...evidence } = stored;
  return { evidence, confidence: confidenceOf({ type, detail, score, evidence: stored }) };
}
