import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { seededRandom } from '../index/pca';
import type { WorkControl } from '../types';

// The small classifier whose out-of-fold probabilities confident learning ranks. Written with
// tfjs so that it can move into the studio's ML worker; for now it runs where the audit runs (the
// core's thread), on the WebAssembly backend, stepping in small batches and yielding between
// them so the core stays responsive. It never loads native TensorFlow: that belongs to the ML
// worker, and TensorFlow cannot be loaded twice in one process.

export interface ClassifierOptions {
  folds: number;
  hidden: number;
  batchSize: number;
  /** Optimiser steps per fold, whatever the dataset size (epochs = steps × batch / rows). */
  stepsPerFold: number;
  learningRate: number;
  seed: number;
}

export const CLASSIFIER_DEFAULTS: ClassifierOptions = {
  folds: 5,
  hidden: 128,
  batchSize: 512,
  stepsPerFold: 250,
  learningRate: 0.004,
  seed: 1,
};

let backendReady: Promise<string> | null = null;

/** Puts tfjs on the wasm backend for this thread (the pure-JS one if wasm will not start). */
export function ensureAuditBackend(): Promise<string> {
  backendReady ??= (async () => {
    const current = tf.getBackend();
    if (current === 'wasm' || current === 'tensorflow') return current;
    try {
      const req = createRequire(import.meta.url);
      const dir = path.dirname(req.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
      const wasm = req('@tensorflow/tfjs-backend-wasm') as {
        setWasmPaths(prefix: string): void;
      };
      wasm.setWasmPaths(path.join(dir, 'dist') + path.sep);
      if (await tf.setBackend('wasm')) return 'wasm';
    } catch {
      // Falls through to the pure-JS backend: slower, same results.
    }
    await tf.setBackend('cpu');
    return 'cpu';
  })();
  return backendReady;
}

/**
 * K-fold out-of-fold class probabilities: each row's probabilities come from a model that never
 * saw it. Folds are stratified by label so a small class is in every training set.
 */
export async function outOfFoldProbabilities(
  x: Float32Array,
  labels: Int32Array,
  dim: number,
  classes: number,
  control: WorkControl,
  options: ClassifierOptions = CLASSIFIER_DEFAULTS,
): Promise<Float32Array> {
  await ensureAuditBackend();
  const rows = labels.length;
  const folds = Math.max(2, Math.min(options.folds, rows));
  const fold = stratifiedFolds(labels, classes, folds, options.seed);
  const out = new Float32Array(rows * classes);
  const random = seededRandom(options.seed);
  for (let f = 0; f < folds; f++) {
    const train: number[] = [];
    const test: number[] = [];
    for (let i = 0; i < rows; i++) (fold[i] === f ? test : train).push(i);
    if (test.length === 0 || train.length === 0) continue;
    const model = createModel(dim, options.hidden, classes, random);
    const optimizer = tf.train.adam(options.learningRate);
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
        optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.logits(xs)) as tf.Scalar);
      });
      if (step % 25 === 24) {
        control.progress('labels', f * steps + step + 1, folds * steps);
        await control.checkpoint();
      }
    }
    for (let start = 0; start < test.length; start += 4096) {
      const chunk = test.slice(start, start + 4096);
      const xt = new Float32Array(chunk.length * dim);
      chunk.forEach((i, r) => xt.set(x.subarray(i * dim, i * dim + dim), r * dim));
      const probs = tf.tidy(() =>
        tf.softmax(model.logits(tf.tensor2d(xt, [chunk.length, dim]))).dataSync(),
      );
      chunk.forEach((i, r) =>
        out.set(probs.subarray(r * classes, r * classes + classes), i * classes),
      );
    }
    optimizer.dispose();
    model.dispose();
  }
  return out;
}

interface Mlp {
  logits(x: tf.Tensor2D): tf.Tensor2D;
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
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j] as number, rows[i] as number];
    }
    rows.forEach((row, k) => {
      fold[row] = k % folds;
    });
  }
  return fold;
}

/** Class probabilities from the labels of each row's nearest neighbours (Laplace-smoothed). */
export function neighbourVoteProbabilities(
  neighbourIndex: Int32Array,
  k: number,
  labels: Int32Array,
  classes: number,
): Float32Array {
  const rows = labels.length;
  const out = new Float32Array(rows * classes);
  const prior = 0.5 / classes;
  for (let i = 0; i < rows; i++) {
    let n = 0;
    for (let t = 0; t < k; t++) {
      const j = neighbourIndex[i * k + t] as number;
      if (j < 0) continue;
      const c = labels[j] as number;
      if (c < 0) continue;
      out[i * classes + c] = (out[i * classes + c] as number) + 1;
      n++;
    }
    for (let c = 0; c < classes; c++)
      out[i * classes + c] = ((out[i * classes + c] as number) + prior) / (n + 0.5);
  }
  return out;
}
