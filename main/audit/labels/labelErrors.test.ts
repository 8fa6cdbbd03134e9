import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../index/pca';
import { NO_CONTROL } from '../types';
import { ensureAuditBackend, outOfFoldProbabilities } from './classifier';
import { findLabelIssues } from './confidentLearning';

describe('confident learning', () => {
  it('flags confidently contradicted labels and suggests the class the evidence points to', () => {
    // Rows 0–7 are class 0, 8–15 class 1; rows 3 and 12 were given the other label.
    const given = Int32Array.from({ length: 16 }, (_, i) => (i < 8 ? 0 : 1));
    given[3] = 1;
    given[12] = 0;
    const probabilities = new Float32Array(32);
    for (let i = 0; i < 16; i++) {
      const trueClass = i < 8 ? 0 : 1;
      probabilities[i * 2 + trueClass] = 0.9;
      probabilities[i * 2 + (1 - trueClass)] = 0.1;
    }
    const issues = findLabelIssues(probabilities, given, 2);
    expect(issues.map((i) => [i.row, i.given, i.suggested]).sort()).toEqual([
      [12, 0, 1],
      [3, 1, 0],
    ]);
  });

  it('flags nothing when the model agrees with every label, even unsurely', () => {
    const given = Int32Array.from({ length: 10 }, (_, i) => i % 2);
    const probabilities = new Float32Array(20);
    for (let i = 0; i < 10; i++) {
      probabilities[i * 2 + (i % 2)] = 0.55;
      probabilities[i * 2 + 1 - (i % 2)] = 0.45;
    }
    expect(findLabelIssues(probabilities, given, 2)).toEqual([]);
  });
});

describe('the out-of-fold classifier', () => {
  it('predicts each row without having seen it, finds flipped labels, and leaks no tensors', async () => {
    await ensureAuditBackend();
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
    const flipped = [5, 50, 100];
    for (const i of flipped) labels[i] = ((labels[i] as number) + 1) % 3;
    const before = tf.memory().numTensors;
    const probabilities = await outOfFoldProbabilities(x, labels, dim, 3, NO_CONTROL, {
      folds: 4,
      hidden: 16,
      batchSize: 32,
      stepsPerFold: 120,
      learningRate: 0.02,
      seed: 1,
    });
    expect(tf.memory().numTensors).toBe(before);
    const issues = findLabelIssues(probabilities, labels, 3);
    expect(issues.map((i) => i.row).sort((a, b) => a - b)).toEqual(flipped);
    for (const issue of issues) expect(issue.suggested).toBe(issue.row % 3);
  });
});
