// A multinomial logistic regression on sparse rows (word TF-IDF), trained out of fold: each
// row's class probabilities come from a model that never saw it, which is what confident
// learning needs. Linear, small and in plain TypeScript: it runs in the core, beside the
// MLP the ML worker trains on the dense embedding.

import { seededRandom, shuffleInPlace } from '../../common/random';
import type { SparseRow } from '../text/wordFeatures';
import { AuditCancelled, type WorkControl } from '../types';

export interface SparseLogisticOptions {
  folds: number;
  epochs: number;
  learningRate: number;
  /** L2 penalty per example: keeps rare words from deciding alone and the probabilities honest. */
  l2: number;
  seed: number;
  /**
   * Times the whole out-of-fold run is repeated on a different split, the probabilities
   * averaged. One split of a few hundred short texts leaves each row's probability at the mercy
   * of which few texts shared its fold; on the man-page topic fixture three splits took the
   * reported label errors from 0.75/0.86 to 0.82/0.85 precision/recall.
   */
  repeats: number;
}

const DEFAULTS: SparseLogisticOptions = {
  folds: 5,
  epochs: 30,
  learningRate: 2,
  l2: 1e-4,
  seed: 17,
  repeats: 3,
};

/** Out-of-fold [rows, classes] probabilities. */
export async function outOfFoldSparseLogistic(
  rows: readonly SparseRow[],
  columns: number,
  labels: Int32Array,
  classes: number,
  control?: WorkControl,
  options: Partial<SparseLogisticOptions> = {},
): Promise<Float32Array> {
  const o = { ...DEFAULTS, ...options };
  const n = rows.length;
  const out = new Float32Array(n * classes);
  const random = seededRandom(o.seed);
  const steps = o.folds * o.repeats;
  for (let repeat = 0; repeat < o.repeats; repeat++) {
    const order = Array.from({ length: n }, (_, i) => i);
    shuffleInPlace(order, random);
    const fold = new Int32Array(n);
    order.forEach((row, i) => (fold[row] = i % o.folds));
    for (let f = 0; f < o.folds; f++) {
      if (control?.signal?.aborted) throw new AuditCancelled();
      const train = order.filter((r) => fold[r] !== f);
      const model = trainSoftmax(rows, train, columns, labels, classes, o, random);
      for (let r = 0; r < n; r++) {
        if (fold[r] !== f) continue;
        const p = predict(model, rows[r] as SparseRow, classes);
        for (let c = 0; c < classes; c++)
          out[r * classes + c] = (out[r * classes + c] as number) + (p[c] as number) / o.repeats;
      }
      control?.progress('labels', repeat * o.folds + f + 1, steps);
      await control?.checkpoint();
    }
  }
  return temperatureScaled(out, labels, classes);
}

/**
 * The probabilities sharpened or softened by the one temperature that fits the given labels best
 * (least log loss), out of fold as they are. SGD with a penalty stops short of the confidence
 * the model has earned; the trust gate compares claimed and real accuracy per class, and
 * confident learning needs a label the evidence rules out to get a small probability.
 */
export function temperatureScaled(
  probabilities: Float32Array,
  labels: Int32Array,
  classes: number,
): Float32Array {
  const rows = labels.length;
  const logs = probabilities.map((p) => Math.log(Math.max(p, 1e-12)));
  const scaled = (t: number): Float32Array => {
    const out = new Float32Array(probabilities.length);
    for (let r = 0; r < rows; r++) {
      let max = -Infinity;
      for (let c = 0; c < classes; c++) max = Math.max(max, (logs[r * classes + c] as number) / t);
      let sum = 0;
      for (let c = 0; c < classes; c++) {
        const e = Math.exp((logs[r * classes + c] as number) / t - max);
        out[r * classes + c] = e;
        sum += e;
      }
      for (let c = 0; c < classes; c++)
        out[r * classes + c] = (out[r * classes + c] as number) / sum;
    }
    return out;
  };
  let best = probabilities;
  let bestLoss = Infinity;
  for (let t = 0.1; t <= 2.01; t *= 1.15) {
    const q = scaled(t);
    let loss = 0;
    for (let r = 0; r < rows; r++)
      loss -= Math.log(Math.max(q[r * classes + (labels[r] as number)] as number, 1e-12));
    if (loss < bestLoss) {
      bestLoss = loss;
      best = q;
    }
  }
  return best;
}

interface SoftmaxModel {
  /** [columns, classes]. */
  weights: Float32Array;
  bias: Float64Array;
}

/** Class probabilities of one row; `scale` multiplies the stored weights (lazy L2, see below). */
function predict(model: SoftmaxModel, row: SparseRow, classes: number, scale = 1): Float32Array {
  const logits = Float64Array.from(model.bias);
  for (let t = 0; t < row.index.length; t++) {
    const base = (row.index[t] as number) * classes;
    const v = (row.value[t] as number) * scale;
    for (let c = 0; c < classes; c++)
      logits[c] = (logits[c] as number) + v * (model.weights[base + c] as number);
  }
  let max = -Infinity;
  for (const l of logits) max = Math.max(max, l);
  let sum = 0;
  const p = new Float32Array(classes);
  for (let c = 0; c < classes; c++) {
    p[c] = Math.exp((logits[c] as number) - max);
    sum += p[c] as number;
  }
  for (let c = 0; c < classes; c++) p[c] = (p[c] as number) / sum;
  return p;
}

/**
 * Plain SGD on the cross-entropy, one row at a time in a fresh order each epoch, with a
 * decaying step. The L2 penalty is applied lazily (a shared scale), so a step costs only the
 * row's non-zeros.
 */
function trainSoftmax(
  rows: readonly SparseRow[],
  train: number[],
  columns: number,
  labels: Int32Array,
  classes: number,
  o: SparseLogisticOptions,
  random: () => number,
): SoftmaxModel {
  const weights = new Float32Array(columns * classes);
  const bias = new Float64Array(classes);
  let scale = 1;
  const order = [...train];
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const r of order) {
      const rate = o.learningRate / (1 + step++ / train.length);
      const row = rows[r] as SparseRow;
      const p = predict({ weights, bias }, row, classes, scale);
      scale *= 1 - rate * o.l2;
      const y = labels[r] as number;
      for (let c = 0; c < classes; c++) {
        const g = (p[c] as number) - (c === y ? 1 : 0);
        bias[c] = (bias[c] as number) - rate * g;
        for (let t = 0; t < row.index.length; t++) {
          const at = (row.index[t] as number) * classes + c;
          weights[at] = (weights[at] as number) - (rate * g * (row.value[t] as number)) / scale;
        }
      }
      if (scale < 1e-6) {
        for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) * scale;
        scale = 1;
      }
    }
  }
  for (let i = 0; i < weights.length; i++) weights[i] = (weights[i] as number) * scale;
  return { weights, bias };
}
