// What a text model's samples say about it, against the text it trained on: how much of each
// sample is lifted from the training text (n-gram overlap, the longest copied stretch, whole
// copied lines), how varied the samples are (distinct n-grams), and the validation loss in the
// unit char-rnn and nanoGPT report (bits per character).

import { SuffixAutomaton } from './suffixAutomaton';

/** Mean cross-entropy per character in nats → bits per character. */
export function bitsPerCharacter(natsPerCharacter: number): number {
  return natsPerCharacter / Math.LN2;
}

function words(text: string): string[] {
  return text.split(/\s+/).filter((word) => word.length > 0);
}

function wordNgrams(tokens: readonly string[], n: number): string[] {
  const out: string[] = [];
  // A separator no word holds (words are split on whitespace), so the key is unambiguous.
  for (let i = 0; i + n <= tokens.length; i++) out.push(tokens.slice(i, i + n).join(' '));
  return out;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/).filter((line) => line.trim().length > 0);
}

/** The training text, indexed once and reused for every batch of samples. */
export class TrainingTextIndex {
  readonly automaton: SuffixAutomaton;
  private readonly wordTrigrams: Set<string>;
  private readonly lineSet: Set<string>;

  constructor(trainingText: string) {
    this.automaton = new SuffixAutomaton(trainingText);
    this.wordTrigrams = new Set(wordNgrams(words(trainingText), 3));
    this.lineSet = new Set(lines(trainingText));
  }

  hasWordTrigram(trigram: string): boolean {
    return this.wordTrigrams.has(trigram);
  }

  hasLine(line: string): boolean {
    return this.lineSet.has(line);
  }
}

export interface CopiedStretch {
  /** [start, end) in the sample's UTF-16 offsets, for highlighting; end − start is its length. */
  start: number;
  end: number;
}

/** The longest stretch of `sample` that occurs verbatim in the training text. */
export function longestCopiedStretch(sample: string, index: TrainingTextIndex): CopiedStretch {
  const lengths = index.automaton.matchLengths(sample);
  let best = 0;
  let bestEnd = 0;
  for (let i = 0; i < lengths.length; i++) {
    if ((lengths[i] as number) > best) {
      best = lengths[i] as number;
      bestEnd = i + 1;
    }
  }
  return { start: bestEnd - best, end: bestEnd };
}

export interface DistinctNgrams {
  /** distinct / total n-grams over all samples, for n = 1…4 (index 0 is n = 1); NaN without any. */
  words: number[];
  chars: number[];
}

/** Diversity across samples: the share of n-grams that are distinct (1: none repeats). */
export function distinctNgrams(samples: readonly string[], maxN = 4): DistinctNgrams {
  const result: DistinctNgrams = { words: [], chars: [] };
  for (let n = 1; n <= maxN; n++) {
    const wordSeen = new Set<string>();
    const charSeen = new Set<string>();
    let wordTotal = 0;
    let charTotal = 0;
    for (const sample of samples) {
      for (const gram of wordNgrams(words(sample), n)) {
        wordSeen.add(gram);
        wordTotal++;
      }
      for (let i = 0; i + n <= sample.length; i++) {
        charSeen.add(sample.slice(i, i + n));
        charTotal++;
      }
    }
    result.words.push(wordTotal > 0 ? wordSeen.size / wordTotal : NaN);
    result.chars.push(charTotal > 0 ? charSeen.size / charTotal : NaN);
  }
  return result;
}

export interface TextSampleMetrics {
  /** Share of the samples' character n-grams (n = charN, default 8) found in the training text. */
  charNgramOverlap: number;
  /** Share of the samples' word n-grams (n = 3) found in the training text. */
  wordTrigramOverlap: number;
  /** Per sample, its longest stretch copied from the training text. */
  longestCopies: CopiedStretch[];
  /** The longest of those, in characters. */
  longestCopyLength: number;
  /** Share of the samples' non-blank lines that are exact lines of the training text. */
  exactLineCopyShare: number;
  distinct: DistinctNgrams;
}

export function textSampleMetrics(
  samples: readonly string[],
  index: TrainingTextIndex,
  charN = 8,
): TextSampleMetrics {
  let charGrams = 0;
  let charHits = 0;
  let wordGrams = 0;
  let wordHits = 0;
  let lineCount = 0;
  let lineHits = 0;
  const longestCopies: CopiedStretch[] = [];
  for (const sample of samples) {
    const lengths = index.automaton.matchLengths(sample);
    let best = 0;
    let bestEnd = 0;
    for (let i = 0; i < lengths.length; i++) {
      const matched = lengths[i] as number;
      // The n-gram ending at i occurs in the training text exactly when the match ending at i
      // reaches back at least n characters.
      if (i + 1 >= charN) {
        charGrams++;
        if (matched >= charN) charHits++;
      }
      if (matched > best) {
        best = matched;
        bestEnd = i + 1;
      }
    }
    longestCopies.push({ start: bestEnd - best, end: bestEnd });
    for (const trigram of wordNgrams(words(sample), 3)) {
      wordGrams++;
      if (index.hasWordTrigram(trigram)) wordHits++;
    }
    for (const line of lines(sample)) {
      lineCount++;
      if (index.hasLine(line)) lineHits++;
    }
  }
  return {
    charNgramOverlap: charGrams > 0 ? charHits / charGrams : 0,
    wordTrigramOverlap: wordGrams > 0 ? wordHits / wordGrams : 0,
    longestCopies,
    longestCopyLength: longestCopies.reduce((max, copy) => Math.max(max, copy.end - copy.start), 0),
    exactLineCopyShare: lineCount > 0 ? lineHits / lineCount : 0,
    distinct: distinctNgrams(samples),
  };
}

/**
 * The headline text figures as run metrics (`eval_<what>`), shared by the full evaluation and the
 * in-run quick one so both say the same thing under the same maths. Lower is better for the
 * overlaps and copies; higher for the distinct shares (diversity).
 */
export function textEvaluationMetrics(evaluation: TextSampleMetrics): Record<string, number> {
  const metrics: Record<string, number> = {
    eval_char8_overlap: evaluation.charNgramOverlap,
    eval_word3_overlap: evaluation.wordTrigramOverlap,
    eval_longest_copy: evaluation.longestCopyLength,
    eval_line_copy_share: evaluation.exactLineCopyShare,
  };
  evaluation.distinct.words.forEach((share, i) => {
    if (Number.isFinite(share)) metrics[`eval_distinct_words_${i + 1}`] = share;
  });
  evaluation.distinct.chars.forEach((share, i) => {
    if (Number.isFinite(share)) metrics[`eval_distinct_chars_${i + 1}`] = share;
  });
  return metrics;
}
