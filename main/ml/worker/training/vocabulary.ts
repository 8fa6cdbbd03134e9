// Characters ↔ token ids for the character models. tfjs-free, so the core can encode a corpus.

/** The distinct characters of a text, sorted by code point: index = token id. */
export function buildVocabulary(text: string): string[] {
  return [...new Set(Array.from(text))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Token ids of `text`; a character outside the vocabulary throws (or is skipped with `skipUnknown`). */
export function encodeText(
  text: string,
  vocabulary: readonly string[],
  skipUnknown = false,
): Int32Array {
  const ids = new Map(vocabulary.map((char, i) => [char, i]));
  const out: number[] = [];
  for (const char of Array.from(text)) {
    const id = ids.get(char);
    if (id !== undefined) out.push(id);
    else if (!skipUnknown)
      throw new Error(`The character ${JSON.stringify(char)} is not in the vocabulary`);
  }
  return Int32Array.from(out);
}

export function decodeTokens(tokens: Iterable<number>, vocabulary: readonly string[]): string {
  let text = '';
  for (const id of tokens) text += vocabulary[id] ?? '';
  return text;
}

/** Checks a vocabulary: one character per entry, no repeats. */
export function checkVocabulary(vocabulary: unknown): string[] {
  if (!Array.isArray(vocabulary) || vocabulary.length < 2) {
    throw new Error('The vocabulary must list at least two characters');
  }
  const seen = new Set<string>();
  for (const entry of vocabulary) {
    if (typeof entry !== 'string' || Array.from(entry).length !== 1 || seen.has(entry)) {
      throw new Error(
        `The vocabulary must hold distinct single characters, not ${JSON.stringify(entry)}`,
      );
    }
    seen.add(entry);
  }
  return vocabulary as string[];
}
