// Seeded randomness for training, so that a run is repeatable from its config's seed alone.

/** mulberry32: a tiny, fast 32-bit generator; plenty for shuffling and drawing seeds. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A seed for tfjs's own seeded ops, drawn from the run's generator. Never 0: tfjs's randomNormal
 * takes 0 as "no seed" and would draw different noise on every run.
 */
export function nextSeed(random: () => number): number {
  return 1 + Math.floor(random() * 2147483646);
}

/**
 * Epochs of shuffled indices, cut into batches. Every image is seen once per epoch; a batch larger
 * than the dataset simply runs through several epochs, so tiny datasets still fill a batch.
 */
export class BatchSampler {
  private order: Int32Array;
  private position: number;

  constructor(
    private readonly count: number,
    private readonly batchSize: number,
    private readonly random: () => number,
  ) {
    this.order = new Int32Array(count);
    this.position = count; // start with a fresh shuffle
  }

  next(): Int32Array {
    const batch = new Int32Array(this.batchSize);
    for (let i = 0; i < this.batchSize; i++) {
      if (this.position === this.count) this.shuffle();
      batch[i] = this.order[this.position++] ?? 0;
    }
    return batch;
  }

  private shuffle(): void {
    for (let i = 0; i < this.count; i++) this.order[i] = i;
    for (let i = this.count - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const swap = this.order[i] ?? 0;
      this.order[i] = this.order[j] ?? 0;
      this.order[j] = swap;
    }
    this.position = 0;
  }
}
