// Batches of item indices for training: shuffled epochs, resumable from a checkpoint.
import { shuffleInPlace } from '../../../common/random';

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
