/**
 * Draws batch indices so that every class is equally likely, whatever its size: PyTorch's
 * WeightedRandomSampler with weights 1 / (size of the item's class), with replacement. Small
 * classes are oversampled and large ones undersampled; the version's augmentation makes the
 * repeats of a small class differ.
 *
 * Every draw comes from the run's generator and the sampler keeps no state of its own, so a resumed
 * run draws exactly what an uninterrupted one would without anything extra in the checkpoint.
 */
export class BalancedBatches {
  /** Item indices per class, classes without items left out (they cannot be drawn). */
  private readonly classes: Int32Array[];
  /** Items without a class (id < 0): drawn as often as their share of all items, not balanced. */
  private readonly unclassed: Int32Array;
  private readonly unclassedShare: number;

  /**
   * `classOfItem[i]` is item i's class id (non-negative integers), or negative for an item
   * without a class (unlabeled), which is not a class to balance.
   */
  constructor(
    classOfItem: Int32Array,
    private readonly batchSize: number,
  ) {
    const byClass = new Map<number, number[]>();
    const unclassed: number[] = [];
    classOfItem.forEach((cls, index) => {
      if (cls < 0) {
        unclassed.push(index);
        return;
      }
      const members = byClass.get(cls) ?? [];
      members.push(index);
      byClass.set(cls, members);
    });
    this.unclassed = Int32Array.from(unclassed);
    this.unclassedShare = classOfItem.length > 0 ? unclassed.length / classOfItem.length : 0;
    // Sorted by class id, so the same labels give the same draws whatever order they came in.
    this.classes = [...byClass.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, members]) => Int32Array.from(members));
    if (this.classes.length === 0) throw new Error('A class-balanced sampler needs classed items');
  }

  get classCount(): number {
    return this.classes.length;
  }

  /** The next batch of item indices: a class uniformly at random, then an item of it. */
  next(random: () => number): Int32Array {
    const batch = new Int32Array(this.batchSize);
    const k = this.classes.length;
    for (let i = 0; i < this.batchSize; i++) {
      const members =
        this.unclassed.length > 0 && random() < this.unclassedShare
          ? this.unclassed
          : (this.classes[Math.min(k - 1, Math.floor(random() * k))] as Int32Array);
      batch[i] = members[Math.min(members.length - 1, Math.floor(random() * members.length))] ?? 0;
    }
    return batch;
  }
}
