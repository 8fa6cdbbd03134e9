import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { findLabelIssues } from '../../../audit/labels/confidentLearning';
import { useTestBackend } from '../testing/backend';
import { seededRandom } from '../../../common/random';
import { outOfFoldProbabilities, OutOfFoldStopped, type OutOfFoldHooks } from './outOfFold';

const RUN_TO_END: OutOfFoldHooks = { onProgress: () => undefined, shouldStop: () => false };

describe('the out-of-fold classifier', () => {
  it('predicts each row without having seen it, finds flipped labels, and leaks no tensors', async () => {
    await useTestBackend('dense');
    const random = seededRandom(3);
    const rows = 120;
    const dim = 4;
    const x = new Float32Array(rows * dim);
    const labels = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
      const c = i % 3;
      labels[i] = c;
      for (let d = 0; d < dim; d++) x[i * dim + d] = (d === c ? 3 : 0) + (random() - 0.5);
    }
    // One flip out of each class, so no fold learns a wrong label for the region it predicts.
    const flipped = [3, 50, 100];
    for (const i of flipped) labels[i] = ((labels[i] as number) + 1) % 3;
    const before = tf.memory().numTensors;
    const problem = {
      features: x,
      labels,
      dim,
      classes: 3,
      options: { folds: 4, hidden: 16, batchSize: 32, stepsPerFold: 120, learningRate: 0.02 },
    };
    const probabilities = await outOfFoldProbabilities(problem, RUN_TO_END);
    expect(tf.memory().numTensors).toBe(before);
    const issues = findLabelIssues(probabilities, labels, 3);
    expect(issues.map((i) => i.row).sort((a, b) => a - b)).toEqual(flipped);
    for (const issue of issues) expect(issue.suggested).toBe(issue.row % 3);
  });

  it('is repeatable, reports progress, and stops when asked', async () => {
    await useTestBackend('dense');
    const random = seededRandom(5);
    const rows = 60;
    const features = Float32Array.from({ length: rows * 3 }, () => random());
    const labels = Int32Array.from({ length: rows }, (_, i) => i % 2);
    const problem = { features, labels, dim: 3, classes: 2, options: { folds: 2, hidden: 8 } };
    const progress: number[] = [];
    const first = await outOfFoldProbabilities(problem, {
      onProgress: (done) => progress.push(done),
      shouldStop: () => false,
    });
    expect(await outOfFoldProbabilities(problem, RUN_TO_END)).toEqual(first);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    const before = tf.memory().numTensors;
    await expect(
      outOfFoldProbabilities(problem, { onProgress: () => undefined, shouldStop: () => true }),
    ).rejects.toBeInstanceOf(OutOfFoldStopped);
    expect(tf.memory().numTensors).toBe(before);
  });
});
