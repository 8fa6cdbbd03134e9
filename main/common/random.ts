// Seeded randomness for the whole studio (training, splits, the audit's projections and folds), so
// that a result is repeatable from its seed alone, and a run resumable: a generator can say its
// state and be set back to it.

/** mulberry32: a tiny, fast 32-bit generator; plenty for shuffling and drawing seeds. */
export class SeededRandom {
  private current: number;

  constructor(seed: number) {
    this.current = seed >>> 0;
  }

  next(): number {
    this.current = (this.current + 0x6d2b79f5) >>> 0;
    let t = this.current;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** The whole state, for a checkpoint. */
  get state(): number {
    return this.current;
  }

  set state(value: number) {
    this.current = value >>> 0;
  }
}

/** Fisher–Yates: every order equally likely, drawn from `random` (last position first). */
export function shuffleInPlace(values: number[] | Int32Array, random: () => number): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = values[i] as number;
    values[i] = values[j] as number;
    values[j] = swap;
  }
}

/** A plain function over a fresh generator, for callers that only draw numbers. */
export function seededRandom(seed: number): () => number {
  const random = new SeededRandom(seed);
  return () => random.next();
}

/**
 * A seed for tfjs's own seeded ops, drawn from the run's generator. Never 0: tfjs's randomNormal
 * takes 0 as "no seed" and would draw different noise on every run.
 */
export function nextSeed(random: () => number): number {
  return 1 + Math.floor(random() * 2147483646);
}

/** Seeds for separate purposes (split, sample noise) derived from a run's seed, apart from its stream. */
export function derivedSeed(seed: number, purpose: number): number {
  return (Math.imul(seed ^ 0x5bd1e995, 0x27d4eb2d) + purpose * 0x9e3779b9) >>> 0;
}
