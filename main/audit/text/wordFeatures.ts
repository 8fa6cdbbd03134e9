// Word-level features of a text for the label classifier: hashed word unigrams and bigrams,
// weighted by TF-IDF. The character profile says what a text is made of (prose, code, another
// language); which topic it is about is in its words, and a folder of texts filed by topic is
// learnable only from them.

import { fnv1a } from './minhash';

/** One text as a sparse unit-length vector: ascending column ids and their weights. */
export interface SparseRow {
  index: Int32Array;
  value: Float32Array;
}

/** Hash buckets before pruning: collisions are rare at this size for a few thousand texts. */
const BUCKETS = 1 << 20;
/** A term in fewer documents than this says nothing about a folder (it is in one text). */
const MIN_DOCUMENT_FREQUENCY = 2;

/** Hashed unigram and bigram counts of lower-cased, punctuation-free text (`looseText`). */
function termCounts(loose: string): Map<number, number> {
  const words = loose.split(' ').filter(Boolean);
  const counts = new Map<number, number>();
  const add = (term: string): void => {
    const h = fnv1a(term) % BUCKETS;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  };
  for (let i = 0; i < words.length; i++) {
    add(words[i] as string);
    if (i + 1 < words.length) add(`${words[i]} ${words[i + 1]}`);
  }
  return counts;
}

/**
 * TF-IDF rows (sublinear term frequency, smoothed IDF, unit length) over the terms that occur in
 * at least two of the texts, with columns renumbered 0..columns-1.
 */
export function tfidfRows(looseTexts: readonly string[]): { rows: SparseRow[]; columns: number } {
  const counts = looseTexts.map(termCounts);
  const df = new Map<number, number>();
  for (const c of counts) for (const h of c.keys()) df.set(h, (df.get(h) ?? 0) + 1);
  const column = new Map<number, number>();
  for (const [h, n] of df) if (n >= MIN_DOCUMENT_FREQUENCY) column.set(h, column.size);
  const idf = new Float64Array(column.size);
  for (const [h, c] of column)
    idf[c] = Math.log((1 + counts.length) / (1 + (df.get(h) as number))) + 1;
  const rows = counts.map((c) => {
    const entries: [number, number][] = [];
    for (const [h, n] of c) {
      const col = column.get(h);
      if (col !== undefined) entries.push([col, (1 + Math.log(n)) * (idf[col] as number)]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0)) || 1;
    return {
      index: Int32Array.from(entries, ([col]) => col),
      value: Float32Array.from(entries, ([, v]) => v / norm),
    };
  });
  return { rows, columns: column.size };
}
