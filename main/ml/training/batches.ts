// Seeded randomness for training, so that a run is repeatable from its config's seed alone, and
// resumable: every generator here can say its state and be set back to it.

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

export interface SamplerState {
  order: number[];
  position: number;
}

/**
 * Epochs of shuffled indices, cut into batches. Every item is seen once per epoch; a batch larger
 * than the dataset simply runs through several epochs, so tiny datasets still fill a batch.
 */
export class BatchSampler {
  private order: Int32Array;
  private position: number;

  constructor(
    private readonly count: number,
    private readonly batchSize: number,
  ) {
    this.order = new Int32Array(count);
    this.position = count; // start with a fresh shuffle
  }

  /** The next batch of indices; `random` shuffles each new epoch (the run's generator). */
  next(random: () => number): Int32Array {
    const batch = new Int32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      if (this.position === this.count) this.shuffle(random);
      batch[i] = this.order[this.position++] ?? 0;
    }
    return batch;
  }

  state(): SamplerState {
    return { order: Array.from(this.order), position: this.position };
  }

  restore(state: SamplerState): void {
    if (state.order.length !== this.count || state.position > this.count) {
      throw new Error('The checkpoint was saved with a different number of training items');
    }
    this.order = Int32Array.from(state.order);
    this.position = state.position;
  }

  private shuffle(random: () => number): void {
    for (let i = 0; i < this.count; i++) this.order[i] = i;
    shuffleInPlace(this.order, random);
    this.position = 0;
  }
}
