// Keyboard mash ("asdkjf qwpoeiru zxmcnv") is valid text in every byte; what gives it away is
// that its letter sequences are improbable in the language the rest of the dataset is written
// in. So the corpus's own character trigram model (each text scored leave-one-out, so a long
// mash does not vouch for itself) gives every text a mean surprisal per character, and texts far
// above the corpus's typical surprisal are flagged. A corpus of code or of another language has
// its own model, and is not called mash for being unlike English.

import { clamp01, member, round, type AuditItem, type DraftFinding } from '../types';
import type { TextFeatures } from './textFeatures';

/** Characters of each text the model reads and scores (its loose head). */
const MAX_CHARS = 2000;
/** Fewer texts than this and there is no corpus model to speak of. */
const MIN_TEXTS = 20;
/** Texts shorter than this (loose characters) are too short to judge. */
const MIN_CHARS = 12;
/** Flag at this many robust standard deviations above the median surprisal… */
const ROBUST_Z = 4;
/** …and at least this many bits per character above it. */
const MIN_EXCESS_BITS = 1.2;

type Counts = Map<string, number>;

function add(counts: Counts, key: string, by: number): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function grams(text: string, each: (ctx2: string, ctx1: string, ch: string) => void): void {
  const t = ` ${text.slice(0, MAX_CHARS)} `;
  for (let i = 1; i < t.length; i++)
    each(i >= 2 ? t.slice(i - 2, i) : ` ${t[i - 1]}`, t[i - 1] as string, t[i] as string);
}

/** Mean surprisal (bits per character) of each text under the leave-one-out corpus model. */
export function corpusSurprisal(texts: readonly string[]): Float64Array {
  const tri: Counts = new Map();
  const bi: Counts = new Map();
  const ctx2: Counts = new Map();
  const ctx1: Counts = new Map();
  const uni: Counts = new Map();
  let total = 0;
  const count = (text: string, by: number): void =>
    grams(text, (c2, c1, ch) => {
      add(tri, c2 + ch, by);
      add(ctx2, c2, by);
      add(bi, c1 + ch, by);
      add(ctx1, c1, by);
      add(uni, ch, by);
      total += by;
    });
  for (const t of texts) count(t, 1);
  const alphabet = Math.max(2, uni.size);
  const out = new Float64Array(texts.length);
  texts.forEach((text, i) => {
    count(text, -1); // leave this text out
    let bits = 0;
    let n = 0;
    grams(text, (c2, c1, ch) => {
      const pUni = ((uni.get(ch) ?? 0) + 1) / (total + alphabet);
      const c1n = ctx1.get(c1) ?? 0;
      const pBi = c1n > 0 ? (bi.get(c1 + ch) ?? 0) / c1n : 0;
      const c2n = ctx2.get(c2) ?? 0;
      const pTri = c2n > 0 ? (tri.get(c2 + ch) ?? 0) / c2n : 0;
      // Fixed interpolation: enough to tell English-like from mash, no tuning per corpus.
      const p = 0.6 * pTri + 0.3 * pBi + 0.1 * pUni;
      bits -= Math.log2(p);
      n++;
    });
    count(text, 1);
    out[i] = n > 0 ? bits / n : 0;
  });
  return out;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** Texts whose letter sequences the corpus's own model finds improbable: keyboard mash. */
export function mashFindings(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): DraftFinding[] {
  const rows = features
    .map((f, i) => ({ i, text: f.looseHead }))
    .filter((r) => r.text.length >= MIN_CHARS);
  if (rows.length < MIN_TEXTS) return [];
  const surprisal = corpusSurprisal(rows.map((r) => r.text));
  const values = Array.from(surprisal);
  const mid = median(values);
  const spread = 1.4826 * median(values.map((v) => Math.abs(v - mid))) || 0.1;
  const findings: DraftFinding[] = [];
  rows.forEach((r, k) => {
    const s = surprisal[k] as number;
    const z = (s - mid) / spread;
    if (z < ROBUST_Z || s - mid < MIN_EXCESS_BITS) return;
    const item = items[r.i] as AuditItem;
    findings.push({
      type: 'text-charset',
      detail: 'keyboard-mash',
      severity: 'medium',
      score: round(clamp01(0.5 + (z - ROBUST_Z) / 20)),
      title: `${item.sourcePath} reads like keyboard mash: its letter sequences are improbable in the rest of the dataset`,
      action: 'exclude',
      members: [member(item, 'subject')],
      evidence: {
        bitsPerChar: round(s, 2),
        datasetMedianBitsPerChar: round(mid, 2),
        robustZ: round(z, 1),
      },
    });
  });
  return findings;
}
