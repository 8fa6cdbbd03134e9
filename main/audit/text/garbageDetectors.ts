// Texts that are not prose a person wrote, though every byte is valid UTF-8: an encoded blob
// (base64, hex), keyboard mash, and mojibake that turns words into a mix of alphabets. Each is
// measured per text when its features are extracted (garbageMeasures), and keyboard mash is then
// judged against the corpus's own character model (mashFindings), so a corpus of code or of
// another language is not called mash for being unlike English.

import { clamp01, member, round, type AuditItem, type DraftFinding } from '../types';
import { scriptOf } from './scriptOf';

/** A run of base64 or hex characters at least this long is an encoded blob, not a word. */
const MIN_BLOB_RUN = 40;
/** A text is an encoded blob when such runs are at least this share of its non-space characters. */
export const BLOB_SHARE = 0.5;
/** Words that mix alphabets (Latin and Cyrillic in one word) that make a text mojibake. */
const MIN_MIXED_WORDS = 3;
const MIXED_WORD_SHARE = 0.1;

export interface GarbageMeasures {
  /** Non-whitespace characters. */
  nonSpace: number;
  /** Characters inside base64-looking runs (mixed letters and digits, optional = padding). */
  base64Chars: number;
  /** Characters inside hex runs. */
  hexChars: number;
  /** Letter runs of two or more characters with letters of more than one script. */
  mixedScriptWords: number;
  /** Letter runs (words) of two or more characters. */
  letterWords: number;
  /** UTF-8 bytes read as Windows-1251 ("Рџ", "СЃ"): pairs of a Р/С and a Cyrillic-range letter. */
  cp1251Pairs: number;
}

const BASE64_RUN = /[A-Za-z0-9+/]{40,}={0,2}/g;
const HEX_RUN = /[0-9a-fA-F]{40,}/g;
const CP1251 = /[РС][\u0400-\u045f\u00a0-\u00bf\u2018-\u201e\u2020-\u2122]/g;

export function garbageMeasures(text: string): GarbageMeasures {
  const head = text.slice(0, 50_000);
  let base64Chars = 0;
  for (const m of head.match(BASE64_RUN) ?? []) {
    // Words glued together are letters only; a blob mixes digits, upper and lower case.
    if (/\d/.test(m) && /[a-z]/.test(m) && /[A-Z]/.test(m)) base64Chars += m.length;
  }
  let hexChars = 0;
  for (const m of head.match(HEX_RUN) ?? []) if (/\d/.test(m)) hexChars += m.length;
  let mixedScriptWords = 0;
  let letterWords = 0;
  for (const word of head.match(/\p{L}{2,}/gu) ?? []) {
    letterWords++;
    let first: string | null = null;
    for (const ch of word) {
      const script = scriptOf(ch.codePointAt(0) as number);
      if (script === null) continue;
      if (first === null) first = script;
      else if (script !== first) {
        mixedScriptWords++;
        break;
      }
    }
  }
  return {
    nonSpace: head.replace(/\s+/g, '').length,
    base64Chars,
    hexChars: hexChars,
    mixedScriptWords,
    letterWords,
    cp1251Pairs: (head.match(CP1251) ?? []).length,
  };
}

export type GarbageKind = 'base64-blob' | 'hex-blob' | 'mixed-script' | null;

/** The kind of garbage a text's measures show, if any (keyboard mash needs the corpus). */
export function garbageKind(g: GarbageMeasures): GarbageKind {
  const nonSpace = Math.max(1, g.nonSpace);
  if (g.hexChars >= MIN_BLOB_RUN && g.hexChars / nonSpace >= BLOB_SHARE) return 'hex-blob';
  if (g.base64Chars >= MIN_BLOB_RUN && g.base64Chars / nonSpace >= BLOB_SHARE) return 'base64-blob';
  const mixed = g.mixedScriptWords + g.cp1251Pairs / 2;
  if (mixed >= MIN_MIXED_WORDS && mixed / Math.max(1, g.letterWords) >= MIXED_WORD_SHARE)
    return 'mixed-script';
  return null;
}

const GARBAGE_TITLE: Record<Exclude<GarbageKind, null>, string> = {
  'base64-blob': 'is a base64-encoded blob, not text',
  'hex-blob': 'is a hex-encoded blob, not text',
  'mixed-script': 'is mojibake: its words mix alphabets (text decoded with the wrong encoding)',
};

/** Encoded blobs and mixed-script mojibake, one finding per text. */
export function encodedGarbageFindings(
  items: readonly AuditItem[],
  measures: readonly (GarbageMeasures | undefined)[],
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  items.forEach((item, i) => {
    const g = measures[i];
    if (!g) return;
    const kind = garbageKind(g);
    if (kind === null) return;
    const share =
      kind === 'mixed-script'
        ? (g.mixedScriptWords + g.cp1251Pairs / 2) / Math.max(1, g.letterWords)
        : (kind === 'hex-blob' ? g.hexChars : g.base64Chars) / Math.max(1, g.nonSpace);
    findings.push({
      type: 'text-charset',
      detail: kind,
      severity: 'medium',
      score: round(clamp01(0.5 + share / 2)),
      title: `${item.sourcePath} ${GARBAGE_TITLE[kind]}`,
      action: 'exclude',
      members: [member(item, 'subject')],
      evidence: { ...g, share: round(share, 3) },
    });
  });
  return findings;
}
