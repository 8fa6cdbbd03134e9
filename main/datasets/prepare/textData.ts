import type { TextStats } from '../../../preload/contract';

/** Case folding as training applies it; locale-free so every machine folds alike. */
export function foldText(text: string, caseFold: boolean): string {
  return caseFold ? text.toLowerCase() : text;
}

/** Every distinct character (code point) of the texts, in code-point order: the token ids. */
export function buildVocabulary(texts: Iterable<string>): string[] {
  const seen = new Set<string>();
  for (const text of texts) for (const ch of text) seen.add(ch);
  return [...seen].sort((a, b) => (a.codePointAt(0) as number) - (b.codePointAt(0) as number));
}

export interface TokenizedTexts {
  /** Every document's token ids, one after the other. */
  tokens: Int32Array;
  /** Where each document starts in `tokens`. */
  documentStarts: Int32Array;
}

export function tokenize(texts: readonly string[], vocabulary: readonly string[]): TokenizedTexts {
  const ids = new Map(vocabulary.map((ch, i) => [ch, i]));
  const lengths = texts.map((text) => {
    let n = 0;
    for (const _ of text) n++;
    return n;
  });
  const tokens = new Int32Array(lengths.reduce((a, b) => a + b, 0));
  const documentStarts = new Int32Array(texts.length);
  let at = 0;
  texts.forEach((text, doc) => {
    documentStarts[doc] = at;
    for (const ch of text) {
      const id = ids.get(ch);
      if (id === undefined)
        throw new Error(`Character ${JSON.stringify(ch)} is not in the vocabulary`);
      tokens[at++] = id;
    }
  });
  return { tokens, documentStarts };
}

/** Bin edges a person reads easily: 1, 2 or 5 times a power of ten. */
function niceWidth(raw: number): number {
  if (raw <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const step of [1, 2, 5, 10]) if (step * power >= raw) return step * power;
  return 10 * power;
}

/** Items per length bin, about `bins` of them, from 0 to the longest item. */
export function lengthHistogram(lengths: readonly number[], bins = 20): TextStats['lengths'] {
  if (lengths.length === 0) return [];
  const longest = Math.max(...lengths);
  const width = niceWidth(Math.ceil((longest + 1) / bins));
  const count = Math.floor(longest / width) + 1;
  const out = Array.from({ length: count }, (_, i) => ({
    from: i * width,
    to: (i + 1) * width - 1,
    count: 0,
  }));
  for (const n of lengths) (out[Math.floor(n / width)] as { count: number }).count++;
  return out;
}

/** Lengths, characters and the folded vocabulary of a version's texts. */
export function textStats(
  versionId: number,
  texts: readonly string[],
  caseFold: boolean,
): TextStats {
  const counts = new Map<string, number>();
  const lengths: number[] = [];
  for (const text of texts) {
    let n = 0;
    for (const ch of text) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      n++;
    }
    lengths.push(n);
  }
  const characters = [...counts.entries()]
    .map(([char, count]) => ({ char, count }))
    .sort((a, b) => b.count - a.count || a.char.localeCompare(b.char));
  return {
    versionId,
    itemCount: texts.length,
    totalChars: lengths.reduce((a, b) => a + b, 0),
    lengths: lengthHistogram(lengths),
    characters,
    // Folded as whole texts, as training folds them (a final Σ folds to ς, not σ).
    vocabulary: buildVocabulary(texts.map((text) => foldText(text, caseFold))),
  };
}
