// Word-level features of a text for the label classifier: hashed word unigrams and bigrams, and
// beside them the character 3-5-grams of the same text, each weighted by TF-IDF. The character
// profile says what a text is made of (prose, code, another language); which topic it is about
// is in its words, and a folder of texts filed by topic is learnable only from them.

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
/** Character n-gram lengths: pieces of words (stems, option names, "ssl" inside "openssl"). */
const CHAR_GRAMS = [3, 4, 5] as const;

type Counts = Map<number, number>;

function adder(counts: Counts): (term: string) => void {
  return (term) => {
    const h = fnv1a(term) % BUCKETS;
    counts.set(h, (counts.get(h) ?? 0) + 1);
  };
}

/** Hashed unigram and bigram counts of lower-cased, punctuation-free text (`looseText`). */
function wordCounts(loose: string): Counts {
  const words = loose.split(' ').filter(Boolean);
  const counts: Counts = new Map();
  const add = adder(counts);
  for (let i = 0; i < words.length; i++) {
    add(words[i] as string);
    if (i + 1 < words.length) add(`${words[i]} ${words[i + 1]}`);
  }
  return counts;
}

/** Hashed character 3-5-gram counts of the same text, words padded by spaces. */
function charGramCounts(loose: string): Counts {
  const padded = ` ${loose.split(' ').filter(Boolean).join(' ')} `;
  const counts: Counts = new Map();
  const add = adder(counts);
  for (const n of CHAR_GRAMS)
    for (let i = 0; i + n <= padded.length; i++) add(padded.slice(i, i + n));
  return counts;
}

/**
 * TF-IDF rows (sublinear term frequency, smoothed IDF, unit length) over the terms that occur in
 * at least two of the texts, with columns renumbered 0..columns-1.
 */
function tfidfOf(counts: readonly Counts[]): { rows: SparseRow[]; columns: number } {
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

/**
 * Each text's word TF-IDF and character n-gram TF-IDF side by side, each block unit length and
 * the whole scaled back to unit length, so the many n-grams do not drown the few words. Words
 * alone miss a topic's inflections and compounds ("signing certificates" to a model that learned
 * "sign" and "certificate"); on the man-page topic fixture the two together predict the folder
 * better out of fold (84% against 83%, log loss 0.66 against 0.71) than words alone.
 */
export function tfidfRows(looseTexts: readonly string[]): { rows: SparseRow[]; columns: number } {
  const words = tfidfOf(looseTexts.map(wordCounts));
  const grams = tfidfOf(looseTexts.map(charGramCounts));
  const half = Math.SQRT1_2;
  const rows = words.rows.map((w, i) => {
    const g = grams.rows[i] as SparseRow;
    const index = new Int32Array(w.index.length + g.index.length);
    const value = new Float32Array(index.length);
    index.set(w.index);
    index.set(
      g.index.map((c) => c + words.columns),
      w.index.length,
    );
    value.set(w.value.map((v) => v * half));
    value.set(
      g.value.map((v) => v * half),
      w.index.length,
    );
    return { index, value };
  });
  return { rows, columns: words.columns + grams.columns };
}
