import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom, seededRandom } from '../../../common/random';
import { BalancedBatches } from './balancedBatches';
import { imageParts } from '../testing/syntheticImages';
import { imageBatchSource } from './data';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 90 items of class 0, 9 of class 2 and 1 of class 5: a 90:1 imbalance, with a gap in the ids. */
const classes = Int32Array.from([
  ...Array.from({ length: 90 }, () => 0),
  ...Array.from({ length: 9 }, () => 2),
  5,
]);

function classShares(drawn: Iterable<number>, classOf: Int32Array): Map<number, number> {
  const counts = new Map<number, number>();
  let total = 0;
  for (const index of drawn) {
    const cls = classOf[index] as number;
    counts.set(cls, (counts.get(cls) ?? 0) + 1);
    total++;
  }
  return new Map([...counts].map(([cls, n]) => [cls, n / total]));
}

describe('BalancedBatches', () => {
  it('draws every class about equally often, however unequal their sizes', () => {
    const sampler = new BalancedBatches(classes, 32);
    const random = new SeededRandom(3);
    const drawn: number[] = [];
    for (let b = 0; b < 300; b++) drawn.push(...sampler.next(() => random.next()));
    const shares = classShares(drawn, classes);
    expect([...shares.keys()].sort()).toEqual([0, 2, 5]);
    // 9,600 draws: each share within two points of a third (its standard error is about 0.5).
    for (const share of shares.values()) expect(Math.abs(share - 1 / 3)).toBeLessThan(0.02);
    // Within a class every item is drawn, not only the first.
    const ofClassTwo = new Set(drawn.filter((i) => classes[i] === 2));
    expect(ofClassTwo.size).toBe(9);
  });

  it('is a function of the generator alone: the same state draws the same batches', () => {
    const sampler = new BalancedBatches(classes, 8);
    const first = new SeededRandom(11);
    sampler.next(() => first.next());
    // What a resume does: the generator's state from the checkpoint, nothing of the sampler's.
    const resumed = new SeededRandom(0);
    resumed.state = first.state;
    const fresh = new BalancedBatches(classes, 8);
    expect(Array.from(fresh.next(() => resumed.next()))).toEqual(
      Array.from(sampler.next(() => first.next())),
    );
  });
});

describe('class-balanced image batches', () => {
  it('balances training batches only, and keeps no sampler state to checkpoint', () => {
    // 12 training images (10 of class 0, 2 of class 1), then 2 validation images of class 0.
    const count = 14;
    const labels = Int32Array.from([...Array(10).fill(0), 1, 1, 0, 0] as number[]);
    const source = imageBatchSource(
      {
        ...imageParts(
          { pixels: new Float32Array(count * 4), count, height: 2, width: 2, channels: 1 },
          2,
          labels,
        ),
        batchBalance: { balanceByClass: labels.slice(0, 12) },
      },
      16,
      'zero-one',
    );
    const random = new SeededRandom(5);
    const drawn: number[] = [];
    for (let b = 0; b < 50; b++) {
      const batch = source.nextBatch(() => random.next());
      drawn.push(...(batch.labels?.dataSync() ?? []));
      source.disposeBatch(batch);
    }
    const ones = drawn.filter((label) => label === 1).length / drawn.length;
    expect(Math.abs(ones - 0.5)).toBeLessThan(0.08);
    expect(source.samplerState()).toBeNull();
    const validation = source.validationBatches(1);
    expect(Array.from(validation[0]?.labels?.dataSync() ?? [])).toEqual([0, 0]);
    for (const batch of validation) source.disposeBatch(batch);
    source.dispose();
  });

  it('draws unlabeled items (class −1) at their natural share and balances the classes', () => {
    // 60 of class 0, 20 of class 1, 20 unlabeled: a fifth of the draws unlabeled, the rest halved.
    const classes = Int32Array.from({ length: 100 }, (_, i) => (i < 60 ? 0 : i < 80 ? 1 : -1));
    const sampler = new BalancedBatches(classes, 100);
    const random = seededRandom(9);
    const counts = new Map<number, number>();
    for (let b = 0; b < 100; b++)
      for (const index of sampler.next(random))
        counts.set(classes[index] as number, (counts.get(classes[index] as number) ?? 0) + 1);
    expect((counts.get(-1) ?? 0) / 10_000).toBeCloseTo(0.2, 1);
    expect((counts.get(0) ?? 0) / 10_000).toBeCloseTo(0.4, 1);
    expect((counts.get(1) ?? 0) / 10_000).toBeCloseTo(0.4, 1);
  });
});
