// The character-level GPT ('char-gpt'): a decoder-only Transformer, minGPT/nanoGPT style.
//
//   tokens [B, T] → token embedding + learned positions [B, T, C]
//   → layers × (x + attn(LN(x)); x + MLP(LN(x)))   causal self-attention, heads × C/heads
//   → final LN → bias-free head → logits [B, T, V]
//
// Pre-LayerNorm, GELU (tanh form), MLP width mlpRatio·C, no dropout. With 4 layers, 4 heads,
// width 128, context 128 and V 96 this is exactly the reference `chargpt` (834,304 parameters).

import * as tf from '@tensorflow/tfjs';
import { adamModelState } from './adamState';
import { Adam } from '../training/optimizer';
import { affineLastAxis, embed, ParameterSet, softmaxCrossEntropy } from './layers';
import {
  attendOne,
  cachedAttentionStep,
  headsOf,
  causalMask,
  causalSelfAttention,
  gelu,
  layerNorm,
  type KeyValueCache,
} from './transformerOps';
import { resolveCharGptConfig, type CharGptConfig } from '../../config/configs';
import {
  readScalars,
  type Metrics,
  type StepOptions,
  type TextBatch,
  type TextDecoder,
  type TextModel,
} from './model';

export interface CharGpt extends TextModel {
  readonly family: 'char-gpt';
  readonly config: CharGptConfig;
  /** The decoder without a key/value cache: what `decoder` must generate the same as. */
  recomputingDecoder(count: number): TextDecoder;
}

interface Block {
  ln1: [tf.Tensor1D, tf.Tensor1D];
  qkv: [tf.Tensor2D, tf.Tensor1D]; // [C, 3C], [3C]
  proj: [tf.Tensor2D, tf.Tensor1D]; // [C, C]
  ln2: [tf.Tensor1D, tf.Tensor1D];
  fc: [tf.Tensor2D, tf.Tensor1D]; // [C, rC]
  out: [tf.Tensor2D, tf.Tensor1D]; // [rC, C]
}

export function buildCharGpt(input: unknown = {}, options: { seed?: number } = {}): CharGpt {
  const config = resolveCharGptConfig(input);
  const { vocabSize: V, contextLength, layers, heads, width: C, mlpRatio } = config;
  const params = new ParameterSet(options.seed ?? 1);
  const std = 0.02;
  const residualStd = std / Math.sqrt(2 * layers); // GPT-2's scaled residual projections

  const tokenTable = params.normal('tokenEmbedding', [V, C], std) as tf.Tensor2D;
  const positions = params.normal('positionEmbedding', [contextLength, C], std) as tf.Tensor2D;
  const norm = (name: string): [tf.Tensor1D, tf.Tensor1D] => [
    params.constant(`${name}.gain`, [C], 1) as tf.Tensor1D,
    params.constant(`${name}.bias`, [C], 0) as tf.Tensor1D,
  ];
  const linear = (
    name: string,
    inputs: number,
    outputs: number,
    s: number,
  ): [tf.Tensor2D, tf.Tensor1D] => [
    params.normal(`${name}.kernel`, [inputs, outputs], s) as tf.Tensor2D,
    params.constant(`${name}.bias`, [outputs], 0) as tf.Tensor1D,
  ];
  const blocks: Block[] = Array.from({ length: layers }, (_, l) => ({
    ln1: norm(`block${l}.ln1`),
    qkv: linear(`block${l}.attn.qkv`, C, 3 * C, std),
    proj: linear(`block${l}.attn.proj`, C, C, residualStd),
    ln2: norm(`block${l}.ln2`),
    fc: linear(`block${l}.mlp.fc`, C, mlpRatio * C, std),
    out: linear(`block${l}.mlp.proj`, mlpRatio * C, C, residualStd),
  }));
  const finalNorm = norm('lnFinal');
  const head = params.normal('head.kernel', [C, V], std) as tf.Tensor2D;
  const optimizer = new Adam(params.all, config);

  function attention(x: tf.Tensor3D, block: Block, mask: tf.Tensor2D): tf.Tensor3D {
    const qkv = affineLastAxis(x, ...block.qkv) as tf.Tensor3D; // [B, T, 3C]
    const y = causalSelfAttention(qkv, heads, mask); // [B, T, C]
    return affineLastAxis(y, ...block.proj) as tf.Tensor3D; // [B, T, C]
  }

  /** The block's second half: x [B, T, C] plus its MLP of x. */
  function withMlp(x: tf.Tensor3D, block: Block): tf.Tensor3D {
    const hidden = gelu(affineLastAxis(layerNorm(x, ...block.ln2), ...block.fc)); // [B, T, rC]
    return x.add(affineLastAxis(hidden, ...block.out)) as tf.Tensor3D; // [B, T, C]
  }

  /** x [B, T, C] through one block. */
  function blockOf(x: tf.Tensor3D, block: Block, mask: tf.Tensor2D): tf.Tensor3D {
    x = x.add(attention(layerNorm(x, ...block.ln1) as tf.Tensor3D, block, mask)) as tf.Tensor3D;
    return withMlp(x, block);
  }

  function embedded(tokens: tf.Tensor2D, from = 0): tf.Tensor3D {
    const t = tokens.shape[1];
    return embed(tokenTable, tokens).add(positions.slice([from, 0], [t, C])) as tf.Tensor3D; // [B, T, C]
  }

  /** tokens [B, T ≤ context] → logits [B, T, V]. */
  function logitsOf(tokens: tf.Tensor2D): tf.Tensor3D {
    const mask = causalMask(tokens.shape[1]);
    let x = embedded(tokens);
    for (const block of blocks) x = blockOf(x, block, mask);
    return affineLastAxis(layerNorm(x, ...finalNorm), head) as tf.Tensor3D; // [B, T, V]
  }

  /**
   * tokens [N, T ≤ context] → the last position's logits [N, V], what a decoder needs: as
   * `logitsOf`, but the last block attends, projects and runs its MLP for the last position only
   * (every earlier position still gives the keys and values it attends over).
   */
  function lastLogitsOf(tokens: tf.Tensor2D): tf.Tensor2D {
    const [n, t] = tokens.shape;
    const mask = causalMask(t);
    let x = embedded(tokens);
    blocks.slice(0, -1).forEach((block) => (x = blockOf(x, block, mask)));
    const block = blocks[blocks.length - 1];
    const last =
      block === undefined
        ? (x.slice([0, t - 1, 0], [n, 1, C]) as tf.Tensor3D)
        : lastThroughBlock(x, block, (qkv) => {
            const [q, k, v] = headsOf(qkv, heads); // [N, h, T, d]
            return attendOne(q.slice([0, 0, t - 1, 0], [n, heads, 1, C / heads]), k, v);
          });
    return logitsOfLast(last);
  }

  /**
   * The last position of x [N, T, C] through one block, its attention given the block's qkv
   * [N, T, 3C] → [N, 1, C] (over the whole window, or over a key/value cache for T = 1).
   */
  function lastThroughBlock(
    x: tf.Tensor3D,
    block: Block,
    attend: (qkv: tf.Tensor3D) => tf.Tensor3D,
  ): tf.Tensor3D {
    const [n, t] = x.shape;
    const last = t === 1 ? x : (x.slice([0, t - 1, 0], [n, 1, C]) as tf.Tensor3D); // [N, 1, C]
    const qkv = affineLastAxis(layerNorm(x, ...block.ln1), ...block.qkv) as tf.Tensor3D;
    return withMlp(last.add(affineLastAxis(attend(qkv), ...block.proj)) as tf.Tensor3D, block);
  }

  /** x [N, 1, C] → the final norm and head: logits [N, V]. */
  function logitsOfLast(x: tf.Tensor3D): tf.Tensor2D {
    const n = x.shape[0];
    return affineLastAxis(layerNorm(x, ...finalNorm), head).reshape([n, V]) as tf.Tensor2D;
  }

  function lossOf(batch: TextBatch): tf.Scalar {
    const [b, w] = batch.shape;
    const inputs = batch.slice([0, 0], [b, w - 1]) as tf.Tensor2D; // [B, T]
    const targets = batch.slice([0, 1], [b, w - 1]).reshape([-1]) as tf.Tensor1D; // [B·T]
    return softmaxCrossEntropy(logitsOf(inputs).reshape([-1, V]) as tf.Tensor2D, targets);
  }

  function trainStep(batch: TextBatch, options: StepOptions = {}): Metrics {
    return tf.tidy(() => {
      const { loss, gradNorm } = optimizer.minimize(() => lossOf(batch), options.learningRateScale);
      return readScalars({ loss, gradNorm });
    });
  }

  /**
   * The decoder with a key/value cache (incremental decoding): each new character runs the blocks
   * for its own position only, attending over the cached keys and values of the ones before, so a
   * character costs one position's work instead of its whole context's. Once the history passes
   * the context it is cropped to its last `contextLength` characters, whose learned positions then
   * all shift by one at every character: no cache stays valid, and each character reruns the
   * cropped window (`lastLogitsOf`: its last block for the last position only). Either way the
   * logits are `recomputingDecoder`'s, so the text for a seed is what it was without the cache.
   */
  function decoder(count: number): TextDecoder {
    let caches: KeyValueCache[] | null = null;
    let length = 0; // positions in the caches
    const dropCaches = (): void => {
      for (const cache of caches ?? []) tf.dispose([cache.keys, cache.values]);
      caches = null;
    };
    const cropped = windowDecoder(count, lastLogitsOf);
    return {
      next(tokens) {
        if (length >= contextLength) {
          dropCaches();
          return cropped.next(tokens);
        }
        // The cropped window sees the same history, for the moment the cache is no longer valid.
        cropped.remember(tokens);
        const previous = caches;
        // One flat list out of the tidy: the logits, then each layer's keys and values.
        const [logits, ...kept] = tf.tidy(() => {
          const ids = tf.tensor2d(tokens, [count, 1], 'int32'); // [N, 1]
          let x = embedded(ids, length); // [N, 1, C]
          const next: tf.Tensor[] = [];
          blocks.forEach((block, l) => {
            x = lastThroughBlock(x, block, (qkv) => {
              const step = cachedAttentionStep(qkv, heads, previous?.[l] ?? null); // qkv [N, 1, 3C]
              next.push(step.cache.keys, step.cache.values);
              return step.y;
            });
          });
          return [logitsOfLast(x), ...next]; // [N, V], then the caches
        });
        dropCaches();
        caches = blocks.map((_, l) => ({
          keys: kept[2 * l] as tf.Tensor4D,
          values: kept[2 * l + 1] as tf.Tensor4D,
        }));
        length++;
        try {
          return (logits as tf.Tensor).dataSync() as Float32Array;
        } finally {
          logits?.dispose();
        }
      },
      dispose: dropCaches,
    };
  }

  /**
   * A decoder that reruns the (cropped) context for each token, its last position's logits from
   * `lastOf` (tokens [N, t] → [N, V]).
   */
  function windowDecoder(
    count: number,
    lastOf: (tokens: tf.Tensor2D) => tf.Tensor2D,
  ): TextDecoder & { remember(tokens: Int32Array): void } {
    const history: number[][] = Array.from({ length: count }, () => []);
    const remember = (tokens: Int32Array): void => {
      history.forEach((seq, i) => {
        seq.push(tokens[i] ?? 0);
        if (seq.length > contextLength) seq.shift();
      });
    };
    return {
      remember,
      next(tokens) {
        remember(tokens);
        const t = history[0]?.length ?? 0;
        const logits = tf.tidy(() => lastOf(tf.tensor2d(history.flat(), [count, t], 'int32')));
        try {
          return logits.dataSync() as Float32Array;
        } finally {
          logits.dispose();
        }
      },
      dispose: () => undefined,
    };
  }

  /**
   * The decoder as it was before the cache: the whole (cropped) context through every block for
   * each token, the last row of its logits kept. What `decoder` must match (charGptDecoder.test).
   */
  const recomputingDecoder = (count: number): TextDecoder =>
    windowDecoder(count, (tokens) => {
      const t = tokens.shape[1];
      return logitsOf(tokens)
        .slice([0, t - 1, 0], [count, 1, V])
        .reshape([count, V]); // [N, V]
    });

  const T = contextLength;
  const activationsPerExample =
    T * (C + layers * (C * 12 + mlpRatio * C * 6 + 3 * heads * T) + 3 * V);
  return {
    family: 'char-gpt',
    kind: 'text',
    config,
    batchSize: config.batchSize,
    learningRate: config.learningRate,
    vocabSize: V,
    contextLength,
    trainStep,
    evaluate: (batch) => tf.tidy(() => readScalars({ loss: lossOf(batch) })),
    decoder,
    recomputingDecoder,
    ...adamModelState(params, optimizer, activationsPerExample),
  };
}
