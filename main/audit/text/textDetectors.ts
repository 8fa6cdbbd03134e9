import { exactDuplicateGroups, UnionFind, type DuplicateGroup } from '../duplicates/groups';
import { clamp01, member, round, type AuditItem, type DraftFinding } from '../types';
import { estimatedJaccard, lshCandidatePairs } from './minhash';
import { asUint32, type TextFeatures } from './textFeatures';

/** Near-duplicate texts: at least this similar (Jaccard of 5-grams, or word-level edit share). */
export const TEXT_NEAR_SIMILARITY = 0.8;
/** A line in at least this share of the files (and at least 3 of them) is boilerplate. */
const BOILERPLATE_SHARE = 0.1;
const LENGTH_Z = 3.5;

/** Corrupt (not valid UTF-8, binary junk) and blank (empty, whitespace-only) texts. */
export function textQualityFindings(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  items.forEach((item, i) => {
    const f = features[i] as TextFeatures;
    if (f.blank) {
      findings.push({
        type: 'blank',
        detail: f.chars === 0 ? 'empty-text' : 'whitespace-only',
        severity: 'high',
        score: 1,
        title: `${item.sourcePath} has no text${f.chars === 0 ? '' : ' (only whitespace)'}`,
        action: 'exclude',
        members: [member(item, 'subject')],
        evidence: { chars: f.chars },
      });
      return;
    }
    const junk = (f.controlChars + f.replacementChars) / Math.max(1, f.chars);
    if (!f.validUtf8 || junk > 0.05) {
      findings.push({
        type: 'corrupt',
        detail: f.validUtf8 ? 'binary' : 'invalid-utf8',
        severity: 'high',
        score: round(clamp01(0.5 + junk)),
        title: `${item.sourcePath} is ${f.validUtf8 ? 'binary junk rather than text' : 'not valid UTF-8 text'}`,
        action: 'exclude',
        members: [member(item, 'subject')],
        evidence: {
          controlChars: f.controlChars,
          replacementChars: f.replacementChars,
          chars: f.chars,
        },
      });
    }
  });
  return findings;
}

/** Exact groups (same bytes, or same text once normalised) and near-duplicate groups. */
export function textDuplicateGroups(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): { exact: DuplicateGroup[]; near: (DuplicateGroup & { similarity: number; detail: string })[] } {
  const usable = (i: number): boolean => !(features[i] as TextFeatures).blank;
  const exact = exactDuplicateGroups(items, (i) =>
    usable(i) ? `t:${(features[i] as TextFeatures).contentKey}` : null,
  ).filter((g) => g.members.every(usable));
  const inExact = new Set(exact.flatMap((g) => g.members.filter((p) => p !== g.keep)));
  const rows = items.map((_, i) => i).filter((i) => usable(i) && !inExact.has(i));
  const signatures = rows.map((i) => asUint32((features[i] as TextFeatures).signature));
  const uf = new UnionFind(rows.length);
  const best = new Map<number, { similarity: number; detail: string }>();
  const accept = (a: number, b: number, similarity: number, detail: string): void => {
    uf.union(a, b);
    const root = Math.min(a, b);
    const previous = best.get(root);
    if (!previous || similarity < previous.similarity) best.set(root, { similarity, detail });
  };
  // Same loose text: differs only in case, punctuation or whitespace.
  const byLoose = new Map<string, number>();
  rows.forEach((p, r) => {
    const key = (features[p] as TextFeatures).looseKey;
    const seen = byLoose.get(key);
    if (seen === undefined) byLoose.set(key, r);
    else accept(seen, r, 1, 'case-punctuation-whitespace');
  });
  for (const [a, b] of lshCandidatePairs(signatures)) {
    if (uf.find(a) === uf.find(b)) continue;
    const fa = features[rows[a] as number] as TextFeatures;
    const fb = features[rows[b] as number] as TextFeatures;
    const similarity = Math.max(
      estimatedJaccard(signatures[a] as Uint32Array, signatures[b] as Uint32Array),
      wordSimilarity(fa.looseHead, fb.looseHead, fa.words, fb.words),
    );
    if (similarity >= TEXT_NEAR_SIMILARITY) accept(a, b, similarity, 'few-words-differ');
  }
  const near = uf.groups().map((g) => {
    const members = g.map((r) => rows[r] as number);
    const info = best.get(Math.min(...g)) ?? { similarity: 1, detail: 'few-words-differ' };
    // The longest text stays: it is the most complete copy.
    const keep = [...members].sort(
      (x, y) => (features[y] as TextFeatures).chars - (features[x] as TextFeatures).chars || x - y,
    )[0] as number;
    return { members, keep, ...info };
  });
  return { exact, near };
}

/** 1 − word edit distance / longer length, for texts short enough to compare word by word. */
export function wordSimilarity(a: string, b: string, wordsA: number, wordsB: number): number {
  if (wordsA > 400 || wordsB > 400) return 0;
  const x = a.split(' ');
  const y = b.split(' ');
  if (Math.abs(x.length - y.length) > 0.2 * Math.max(x.length, y.length) + 2) return 0;
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (x[i - 1] === y[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return 1 - (previous[y.length] as number) / Math.max(x.length, y.length, 1);
}

/** Very long and very short texts, by robust z-score of log length. */
export function lengthFindings(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): DraftFinding[] {
  const rows = items.map((_, i) => i).filter((i) => !(features[i] as TextFeatures).blank);
  if (rows.length < 20) return [];
  const logs = rows.map((i) => Math.log((features[i] as TextFeatures).chars));
  const sorted = [...logs].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] as number;
  const mad = [...logs].map((v) => Math.abs(v - median)).sort((a, b) => a - b)[
    Math.floor(logs.length / 2)
  ] as number;
  const spread = 1.4826 * mad || 0.25;
  const medianChars = Math.round(Math.exp(median));
  const findings: DraftFinding[] = [];
  rows.forEach((i, r) => {
    const z = ((logs[r] as number) - median) / spread;
    if (Math.abs(z) < LENGTH_Z) return;
    const item = items[i] as AuditItem;
    const chars = (features[i] as TextFeatures).chars;
    findings.push({
      type: 'text-length',
      detail: z > 0 ? 'very-long' : 'very-short',
      severity: 'low',
      score: round(1 - LENGTH_Z / Math.abs(z) / 2),
      title: `${item.sourcePath} is very ${z > 0 ? 'long' : 'short'} (${chars} characters; most are near ${medianChars})`,
      action: 'review',
      members: [member(item, 'subject')],
      evidence: { chars, medianChars, robustZ: round(z, 2) },
    });
  });
  return findings;
}

/** Long lines repeated across many files: licence headers, navigation, signatures. */
export function boilerplateFindings(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): DraftFinding[] {
  if (items.length < 5) return [];
  const owners = new Map<number, number[]>();
  features.forEach((f, i) => {
    for (const h of asUint32(f.lineHashes)) {
      const list = owners.get(h);
      if (list) list.push(i);
      else owners.set(h, [i]);
    }
  });
  const minFiles = Math.max(3, Math.ceil(BOILERPLATE_SHARE * items.length));
  // Lines shared by exactly the same files are one block of boilerplate, reported once.
  const blocks = new Map<string, { files: number[]; lines: number }>();
  for (const files of owners.values()) {
    if (files.length < minFiles || files.length === items.length) continue;
    const key = files.join(',');
    const block = blocks.get(key);
    if (block) block.lines++;
    else blocks.set(key, { files, lines: 1 });
  }
  return [...blocks.values()].map((block) => ({
    type: 'text-boilerplate',
    detail: 'repeated-lines',
    severity: 'low',
    score: round(block.files.length / items.length),
    title: `${block.lines} line${block.lines === 1 ? '' : 's'} repeated in ${block.files.length} files (boilerplate)`,
    action: 'review',
    members: block.files.map((i) => member(items[i] as AuditItem, 'member')),
    evidence: {
      lines: block.lines,
      files: block.files.length,
      share: round(block.files.length / items.length, 3),
    },
  }));
}

/** Mojibake, control characters, and texts in another alphabet than the rest. */
export function charsetFindings(
  items: readonly AuditItem[],
  features: readonly TextFeatures[],
): DraftFinding[] {
  const findings: DraftFinding[] = [];
  const dominant = dominantScripts(features);
  items.forEach((item, i) => {
    const f = features[i] as TextFeatures;
    if (f.blank) return;
    if (f.mojibake > 0) {
      findings.push({
        type: 'text-charset',
        detail: 'mojibake',
        severity: 'medium',
        score: round(clamp01(0.5 + (20 * f.mojibake) / Math.max(1, f.chars))),
        title: `${item.sourcePath} has ${f.mojibake} mis-decoded character sequence${f.mojibake === 1 ? '' : 's'} (UTF-8 read as Latin-1)`,
        action: 'review',
        members: [member(item, 'subject')],
        evidence: { mojibake: f.mojibake, chars: f.chars },
      });
    }
    const odd = f.controlChars + f.replacementChars;
    if (odd > 0 && odd / Math.max(1, f.chars) <= 0.05) {
      findings.push({
        type: 'text-charset',
        detail: f.controlChars > 0 ? 'control-characters' : 'replacement-characters',
        severity: 'low',
        score: round(clamp01(0.3 + (10 * odd) / Math.max(1, f.chars))),
        title: `${item.sourcePath} has ${odd} control or replacement character${odd === 1 ? '' : 's'}`,
        action: 'review',
        members: [member(item, 'subject')],
        evidence: { controlChars: f.controlChars, replacementChars: f.replacementChars },
      });
    }
    const main = mainScript(f);
    if (dominant && main && main !== dominant) {
      findings.push({
        type: 'text-charset',
        detail: 'other-script',
        severity: 'low',
        score: 0.6,
        title: `${item.sourcePath} is mostly ${main} text; the rest of the dataset is ${dominant}`,
        action: 'review',
        members: [member(item, 'subject')],
        evidence: { script: main, datasetScript: dominant, scripts: f.scripts },
      });
    }
  });
  return findings;
}

function mainScript(f: TextFeatures): string | null {
  let best: string | null = null;
  let bestCount = 0;
  let total = 0;
  for (const [script, count] of Object.entries(f.scripts)) {
    total += count;
    if (count > bestCount) {
      bestCount = count;
      best = script;
    }
  }
  return total >= 10 && bestCount / total >= 0.6 ? best : null;
}

/** The script of at least 80% of the texts, or null when the dataset is mixed on purpose. */
function dominantScripts(features: readonly TextFeatures[]): string | null {
  const counts = new Map<string, number>();
  let n = 0;
  for (const f of features) {
    const s = mainScript(f);
    if (!s) continue;
    counts.set(s, (counts.get(s) ?? 0) + 1);
    n++;
  }
  for (const [script, count] of counts) if (n >= 5 && count / n >= 0.8) return script;
  return null;
}
