// The character-level recurrent language model ('char-rnn'): LSTM or GRU, 1–3 layers.
//
//   tokens [B, T] → embedding [B, T, E] → (LSTM | GRU, H units) × layers → dense → logits [B, T, V]
//
// The cells follow PyTorch's equations, both biases included (b_ih and b_hh), so that with
// cell 'lstm', E 64, H 256, one layer and V 96 this is exactly the reference `charlstm`
// (360,544 parameters). The loss is next-character cross-entropy over every position.

import * as tf from '@tensorflow/tfjs';
import { Adam } from '../training/optimizer';
import { affine, affineLastAxis, embed, ParameterSet, softmaxCrossEntropy } from './layers';
import { adamModelState } from './adamState';
import { lstmSequence } from './lstmSequence';
import { resolveCharRnnConfig, type CharRnnConfig } from '../../config/configs';
import {
  readScalars,
  type Metrics,
  type StepOptions,
  type TextBatch,
  type TextDecoder,
  type TextModel,
} from './model';

export interface CharRnn extends TextModel {
  readonly family: 'char-rnn';
  readonly config: CharRnnConfig;
}

interface RecurrentLayer {
  inputKernel: tf.Tensor2D; // [in, G·H]
  inputBias: tf.Tensor1D; // [G·H]
  hiddenKernel: tf.Tensor2D; // [H, G·H]
  hiddenBias: tf.Tensor1D; // [G·H]
}

/** One layer's state: h, and c for an LSTM. */
interface CellState {
  h: tf.Tensor2D; // [B, H]
  c: tf.Tensor2D | null; // [B, H]
}

export function buildCharRnn(input: unknown = {}, options: { seed?: number } = {}): CharRnn {
  const config = resolveCharRnnConfig(input);
  const { cell, vocabSize: V, embeddingDim: E, hiddenUnits: H, layers, sequenceLength } = config;
  const gates = cell === 'lstm' ? 4 : 3;
  const params = new ParameterSet(options.seed ?? 1);
  const bound = 1 / Math.sqrt(H); // PyTorch's initialisation for recurrent and output layers

  const table = params.normal('embedding', [V, E], 1) as tf.Tensor2D;
  const recurrent: RecurrentLayer[] = Array.from({ length: layers }, (_, l) => ({
    inputKernel: params.uniform(
      `${cell}${l}.inputKernel`,
      [l === 0 ? E : H, gates * H],
      bound,
    ) as tf.Tensor2D,
    inputBias: params.uniform(`${cell}${l}.inputBias`, [gates * H], bound, false) as tf.Tensor1D,
    hiddenKernel: params.uniform(`${cell}${l}.hiddenKernel`, [H, gates * H], bound) as tf.Tensor2D,
    hiddenBias: params.uniform(`${cell}${l}.hiddenBias`, [gates * H], bound, false) as tf.Tensor1D,
  }));
  const outKernel = params.uniform('output.kernel', [H, V], bound) as tf.Tensor2D;
  const outBias = params.uniform('output.bias', [V], bound, false) as tf.Tensor1D;
  const optimizer = new Adam(params.all, config);

  /** One time step of one layer: x·W_ih + b_ih is precomputed for the whole sequence. */
  function cellStep(layer: RecurrentLayer, inputPart: tf.Tensor2D, state: CellState): CellState {
    const hiddenPart = affine(state.h, layer.hiddenKernel, layer.hiddenBias); // [B, G·H]
    if (cell === 'lstm') {
      const [i, f, g, o] = tf.split(inputPart.add(hiddenPart), 4, 1) as tf.Tensor2D[]; // [B, H] each
      const c = tf
        .sigmoid(f as tf.Tensor2D)
        .mul(state.c as tf.Tensor2D)
        .add(tf.sigmoid(i as tf.Tensor2D).mul(tf.tanh(g as tf.Tensor2D))) as tf.Tensor2D;
      return { h: tf.sigmoid(o as tf.Tensor2D).mul(tf.tanh(c)) as tf.Tensor2D, c };
    }
    const [xr, xz, xn] = tf.split(inputPart, 3, 1) as tf.Tensor2D[]; // [B, H] each
    const [hr, hz, hn] = tf.split(hiddenPart, 3, 1) as tf.Tensor2D[];
    const r = tf.sigmoid((xr as tf.Tensor2D).add(hr as tf.Tensor2D));
    const z = tf.sigmoid((xz as tf.Tensor2D).add(hz as tf.Tensor2D));
    const n = tf.tanh((xn as tf.Tensor2D).add(r.mul(hn as tf.Tensor2D)));
    return { h: n.sub(n.mul(z)).add(z.mul(state.h)) as tf.Tensor2D, c: null }; // (1 − z)·n + z·h
  }

  const zeroState = (batch: number): CellState => ({
    h: tf.zeros([batch, H]),
    c: cell === 'lstm' ? tf.zeros([batch, H]) : null,
  });

  /** tokens [B, T] → logits [B·T, V]. */
  function logitsOf(tokens: tf.Tensor2D): tf.Tensor2D {
    const [batch, steps] = tokens.shape;
    let x = embed(table, tokens); // [B, T, E]
    for (const layer of recurrent) {
      if (cell === 'lstm') {
        // One op with its own backpropagation through time (see lstmSequence.ts).
        x = lstmSequence(
          x,
          layer.inputKernel,
          layer.inputBias,
          layer.hiddenKernel,
          layer.hiddenBias,
        ); // [B, T, H]
        continue;
      }
      const inputParts = tf.unstack(
        affineLastAxis(x, layer.inputKernel, layer.inputBias),
        1,
      ) as tf.Tensor2D[]; // T × [B, G·H]
      let state = zeroState(batch);
      const outputs: tf.Tensor2D[] = [];
      for (const part of inputParts) {
        state = cellStep(layer, part, state);
        outputs.push(state.h);
      }
      x = tf.stack(outputs, 1); // [B, T, H]
    }
    return affine(x.reshape([batch * steps, H]) as tf.Tensor2D, outKernel, outBias); // [B·T, V]
  }

  function lossOf(batch: TextBatch): tf.Scalar {
    const [b, width] = batch.shape;
    const inputs = batch.slice([0, 0], [b, width - 1]) as tf.Tensor2D; // [B, T]
    const targets = batch.slice([0, 1], [b, width - 1]).reshape([-1]) as tf.Tensor1D; // [B·T]
    return softmaxCrossEntropy(logitsOf(inputs), targets);
  }

  function trainStep(batch: TextBatch, options: StepOptions = {}): Metrics {
    return tf.tidy(() => {
      const { loss, gradNorm } = optimizer.minimize(() => lossOf(batch), options.learningRateScale);
      return readScalars({ loss, gradNorm });
    });
  }

  function decoder(count: number): TextDecoder {
    let states: CellState[] = recurrent.map(() => zeroState(count));
    const release = (list: CellState[]): void => {
      for (const s of list) {
        s.h.dispose();
        s.c?.dispose();
      }
    };
    return {
      next(tokens) {
        const previous = states;
        let next: CellState[] = [];
        const logits = tf.tidy(() => {
          let x = embed(table, tf.tensor1d(tokens, 'int32')) as tf.Tensor2D; // [N, E]
          next = recurrent.map((layer, l) => {
            const inputPart = affine(x, layer.inputKernel, layer.inputBias); // [N, G·H]
            const state = cellStep(layer, inputPart, previous[l] as CellState);
            x = state.h; // [N, H]
            // The new state outlives this tidy; the previous one is released below.
            return { h: tf.keep(state.h), c: state.c === null ? null : tf.keep(state.c) };
          });
          return affine(x, outKernel, outBias); // [N, V]
        });
        states = next;
        release(previous);
        try {
          return logits.dataSync() as Float32Array;
        } finally {
          logits.dispose();
        }
      },
      dispose: () => release(states),
    };
  }

  const activationsPerExample = sequenceLength * (E + layers * (2 * gates * H + 6 * H) + 3 * V);
  return {
    family: 'char-rnn',
    kind: 'text',
    config,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    vocabSize: V,
    contextLength: sequenceLength,
    trainStep,
    evaluate: (batch) => tf.tidy(() => readScalars({ loss: lossOf(batch) })),
    decoder,
    ...adamModelState(params, optimizer, activationsPerExample),
  };
}
