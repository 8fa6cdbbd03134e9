import { createHash } from 'node:crypto';
import { garbageMeasures, type GarbageMeasures } from './garbageDetectors';
import { fnv1a, minhashSignature, shingleHashes } from './minhash';
import { scriptOf } from './scriptOf';

/** Bump when anything below changes what is computed. */
export const TEXT_EXTRACTOR_VERSION = 4;

/** Lines shorter than this are not boilerplate candidates ("", "Chapter 1", "---"). */
const BOILERPLATE_MIN_LINE = 20;
const MAX_LINES = 5000;
/** Buckets of the character profile, and how much of a long text it reads. */
export const PROFILE_DIM = 256;
const PROFILE_MAX_CHARS = 20_000;

export interface TextFeatures {
  kind: 'text';
  /** False when the bytes are not valid UTF-8 (the import should have decoded them). */
  validUtf8: boolean;
  chars: number;
  words: number;
  /** Only whitespace (or nothing). */
  blank: boolean;
  /** Same text once Unicode-normalised, with line ends and trailing spaces made uniform. */
  contentKey: string;
  /** Same text once case, punctuation and whitespace are ignored. */
  looseKey: string;
  /** Control characters other than tab, newline, carriage return and form feed. */
  controlChars: number;
  /** U+FFFD replacement characters: bytes that were not text. */
  replacementChars: number;
  /** Sequences typical of UTF-8 read as Latin-1/Windows-1252 ("Ã©", "â€™"). */
  mojibake: number;
  /** Letters per script group, for "this file is in another alphabet". */
  scripts: Record<string, number>;
  /** Hashes of the normalised long lines, for boilerplate shared across files. */
  lineHashes: Uint8Array;
  /** MinHash signature of character 5-grams of the loose text (see minhash.ts). */
  signature: Uint8Array;
  /** The first words of the loose text, for word-level comparison of short texts. */
  looseHead: string;
  /**
   * What the text is made of: hashed counts of its lower-cased characters and character
   * trigrams (square-rooted, unit length). Prose, code, a list of numbers or another language
   * each have their own profile, so it places a text among the others for outliers and labels.
   */
  profile: Float32Array;
  /** Encoded blobs and mixed-alphabet words (see garbageDetectors.ts); absent in old caches. */
  garbage?: GarbageMeasures;
}

const MOJIBAKE =
  /Ã[\u0080-\u00bf]|Â[\u00a0-\u00bf]|â€[\u0080-\u00bf\u2018-\u203a™œ]|ï»¿|Ð[\u0080-\u00bf]/g;
// Control characters except \t \n \v-free set: tab 09, LF 0a, FF 0c, CR 0d are ordinary in text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000e-\u001f\u007f-\u009f]/g;

export { scriptOf } from './scriptOf';

export function looseText(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function extractTextFeatures(bytes: Uint8Array): TextFeatures {
  let validUtf8 = true;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    validUtf8 = false;
    text = new TextDecoder('utf-8').decode(bytes);
  }
  return textFeatures(text, validUtf8);
}

export function textFeatures(text: string, validUtf8 = true): TextFeatures {
  const normalized = text
    .normalize('NFC')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n+$/, '');
  const loose = looseText(text);
  const scripts: Record<string, number> = {};
  let chars = 0;
  for (const ch of text) {
    chars++;
    const script = scriptOf(ch.codePointAt(0) as number);
    if (script) scripts[script] = (scripts[script] ?? 0) + 1;
  }
  const lines = new Set<number>();
  for (const line of normalized.split('\n').slice(0, MAX_LINES)) {
    const l = looseText(line);
    if (l.length >= BOILERPLATE_MIN_LINE) lines.add(fnv1a(l));
  }
  const lineHashes = Uint32Array.from(lines);
  const signature = loose.length > 0 ? minhashSignature(shingleHashes(loose)) : new Uint32Array(0);
  return {
    kind: 'text',
    validUtf8,
    chars,
    words: loose.length === 0 ? 0 : loose.split(' ').length,
    blank: text.trim().length === 0,
    contentKey: createHash('sha256').update(normalized).digest('hex'),
    looseKey: createHash('sha256').update(loose).digest('hex'),
    controlChars: (text.match(CONTROL) ?? []).length,
    replacementChars: (text.match(/\uFFFD/g) ?? []).length,
    mojibake: (text.match(MOJIBAKE) ?? []).length,
    scripts,
    lineHashes: new Uint8Array(lineHashes.buffer),
    signature: new Uint8Array(signature.buffer),
    looseHead: loose.split(' ').slice(0, 400).join(' '),
    profile: characterProfile(normalized),
    garbage: garbageMeasures(normalized),
  };
}

/** See TextFeatures.profile. */
export function characterProfile(text: string): Float32Array {
  const counts = new Float32Array(PROFILE_DIM);
  const lower = text.slice(0, PROFILE_MAX_CHARS).toLowerCase().replace(/\s+/g, ' ');
  let a = 0;
  let b = 0;
  for (let i = 0; i < lower.length; i++) {
    const c = lower.charCodeAt(i);
    // Unigrams in one half of the buckets, trigrams (of the last three code units) in the other.
    const half = PROFILE_DIM / 2;
    const unigram = mix(c) & (half - 1);
    counts[unigram] = (counts[unigram] as number) + 1;
    if (i >= 2) {
      const trigram = half + (mix(a * 65_599 + b * 257 + c) & (half - 1));
      counts[trigram] = (counts[trigram] as number) + 1;
    }
    a = b;
    b = c;
  }
  let norm = 0;
  for (let d = 0; d < PROFILE_DIM; d++) {
    counts[d] = Math.sqrt(counts[d] as number);
    norm += (counts[d] as number) ** 2;
  }
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  for (let d = 0; d < PROFILE_DIM; d++) counts[d] = (counts[d] as number) * scale;
  return counts;
}

/** A cheap integer hash spreading nearby code points over the buckets. */
function mix(value: number): number {
  let h = Math.imul(value | 0, 0x9e3779b1);
  h ^= h >>> 15;
  return Math.imul(h, 0x85ebca6b) >>> 16;
}

export function asUint32(bytes: Uint8Array): Uint32Array {
  const copy = new Uint8Array(bytes);
  return new Uint32Array(copy.buffer, 0, Math.floor(copy.length / 4));
}
