// The small classifier behind the audit's label-error finding: K-fold out-of-fold class
// probabilities (each row predicted by a model that never saw it), which confident learning then
// ranks on the core's side. It runs in the ML worker, on whatever backend the worker resolved, so
// the core thread never loads TensorFlow and an audit trains on the same engine as the models.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import * as tf from '@tensorflow/tfjs';
import { seededRandom, shuffleInPlace } from '../../../common/random';
import type { ClassificationProblem, ClassifierOptions } from '../../protocol';

export const CLASSIFIER_DEFAULTS: ClassifierOptions = {
  folds: 5,
  hidden: 128,
  batchSize: 512,
  stepsPerFold: 250,
  learningRate: 0.004,
  seed: 1,
};

export interface OutOfFoldHooks {
  /** Optimiser steps done of all folds' steps. */
  onProgress(done: number, total: number): void;
  /** Asked between batches; true ends the work with OutOfFoldStopped. */
  shouldStop(): boolean;
}

export class OutOfFoldStopped extends Error {
  constructor() {
    super('The classifier was stopped.');
    this.name = 'OutOfFoldStopped';
  }
}

/** Steps between progress reports and yields to the event loop (stop requests, other jobs). */
const YIELD_EVERY = 25;
/** Rows predicted per call when the trained model scores its held-out fold. */
const PREDICT_CHUNK = 4096;

/**
 * [rows, classes] out-of-fold probabilities. Folds are stratified by label so a small class is in
 * every training set; everything is seeded, so the same problem gives the same answer.
 */
export async function outOfFoldProbabilities(
  problem: ClassificationProblem,
  hooks: OutOfFoldHooks,
): Promise<Float32Array> {
  const { features: x, labels, dim, classes } = problem;
  const options = { ...CLASSIFIER_DEFAULTS, ...problem.options };
  const rows = labels.length;
  if (x.length !== rows * dim) {
    throw new Error(`The classifier got ${x.length} feature values for ${rows} rows of ${dim}.`);
  }
  const folds = Math.max(2, Math.min(options.folds, rows));
  const fold = stratifiedFolds(labels, classes, folds, options.seed);
  const out = new Float32Array(rows * classes);
  const random = seededRandom(options.seed);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < rows; i++) (fold[i] === f ? test : train).push(i);
    if (test.length === 0 || train.length === 0) continue;
    if (hooks.shouldStop()) throw new OutOfFoldStopped();
    const model = createModel(dim, options.hidden, classes, random);
    const optimizer = tf.train.adam(options.learningRate);
    try {
      const batch = Math.min(options.batchSize, train.length);
      // Small datasets need fewer steps (about 40 passes over the data), large ones a fixed budget.
      const steps = Math.min(
        options.stepsPerFold,
        Math.max(50, Math.ceil((40 * train.length) / batch)),
      );
      const xb = new Float32Array(batch * dim);
      const yb = new Int32Array(batch);
      for (let step = 0; step < steps; step++) {
        for (let b = 0; b < batch; b++) {
          const i = train[Math.floor(random() * train.length)] as number;
          xb.set(x.subarray(i * dim, i * dim + dim), b * dim);
          yb[b] = labels[i] as number;
        }
        tf.tidy(() => {
          const xs = tf.tensor2d(xb, [batch, dim]); // [B, D]
          const ys = tf.oneHot(tf.tensor1d(yb, 'int32'), classes).toFloat(); // [B, C]
          // Its own variables only: a model training beside it in this thread has others.
          optimizer.minimize(
            () => tf.losses.softmaxCrossEntropy(ys, model.logits(xs)) as tf.Scalar,
            false,
            model.variables,
          );
        });
        if (step % YIELD_EVERY === YIELD_EVERY - 1) {
          hooks.onProgress(f * steps + step + 1, folds * steps);
          await yieldToEventLoop();
          if (hooks.shouldStop()) throw new OutOfFoldStopped();
        }
      }
      for (let start = 0; start < test.length; start += PREDICT_CHUNK) {
        const chunk = test.slice(start, start + PREDICT_CHUNK);
        const xt = new Float32Array(chunk.length * dim);
        chunk.forEach((i, r) => xt.set(x.subarray(i * dim, i * dim + dim), r * dim));
        const probs = tf.tidy(() =>
          tf.softmax(model.logits(tf.tensor2d(xt, [chunk.length, dim]))).dataSync(),
        );
        chunk.forEach((i, r) =>
          out.set(probs.subarray(r * classes, r * classes + classes), i * classes),
        );
      }
    } finally {
      optimizer.dispose();
      model.dispose();
    }
  }
  return out;
}

interface Mlp {
  logits(x: tf.Tensor2D): tf.Tensor2D;
  variables: tf.Variable[];
  dispose(): void;
}

function createModel(dim: number, hidden: number, classes: number, random: () => number): Mlp {
  // He initialisation from the seeded generator, so an audit is repeatable.
  const init = (rows: number, cols: number): tf.Variable => {
    const values = new Float32Array(rows * cols);
    const scale = Math.sqrt(2 / rows);
    for (let i = 0; i < values.length; i++) values[i] = (random() * 2 - 1) * scale * Math.sqrt(3);
    // tidy frees the initial tensor; the variable keeps its own reference to the data.
    return tf.tidy(() => tf.variable(tf.tensor2d(values, [rows, cols])));
  };
  const w1 = init(dim, hidden); // [D, H]
  const b1 = tf.tidy(() => tf.variable(tf.zeros([hidden]))); // [H]
  const w2 = init(hidden, classes); // [H, C]
  const b2 = tf.tidy(() => tf.variable(tf.zeros([classes]))); // [C]
  return {
    logits: (x) => tf.relu(x.matMul(w1).add(b1)).matMul(w2).add(b2) as tf.Tensor2D,
    variables: [w1, b1, w2, b2],
    dispose: () => tf.dispose([w1, b1, w2, b2]),
  };
}

function stratifiedFolds(
  labels: Int32Array,
  classes: number,
  folds: number,
  seed: number,
): Int32Array {
  const random = seededRandom(seed + 101);
  const fold = new Int32Array(labels.length);
  for (let c = 0; c < classes; c++) {
    const rows: number[] = [];
    labels.forEach((l, i) => {
      if (l === c) rows.push(i);
    });
    shuffleInPlace(rows, random);
    rows.forEach((row, k) => {
      fold[row] = k % folds;
    });
  }
  return fold;
}
