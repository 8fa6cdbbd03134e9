// The text families as one-step graphs: what the studio's decoder computes for each character.
//
//   char-rnn: tokens [N] (int32) and each layer's state (h, and c for an LSTM, [N, H]) → the next
//             character's logits [N, V] and the new states. generate.mjs carries the states.
//   char-gpt: a window of tokens [N, T] (T = contextLength, the history left-aligned and padded)
//             and the index of its last real token → logits [N, V] at that position. The causal
//             mask keeps padding after the last token from changing it. The studio's decoder
//             caches keys and values until the context fills, then reruns its cropped window:
//             the same logits either way (charGptDecoder.test), so the same text for a seed.

import type { CharGptConfig, CharRnnConfig } from '../../config/configs';
import { GraphBuilder } from './graphBuilder';
import { GraphOps, type NamedWeights } from './graphOps';
import type { GraphOutput } from './imageGraphs';

const LAYER_NORM_EPSILON = 1e-5;
const GELU_C1 = 2 * Math.sqrt(2 / Math.PI);
const GELU_C2 = GELU_C1 * 0.044715;

/** Graph input and output names for one layer's state (generate.mjs reads them). */
export const stateNames = (layer: number, part: 'h' | 'c'): { input: string; output: string } => ({
  input: `${part}${layer}`,
  output: `${part}${layer}_next`,
});

export function charRnnGraph(config: CharRnnConfig, weights: NamedWeights): GraphOutput {
  const ops = new GraphOps(new GraphBuilder(), weights);
  const { cell, hiddenUnits: H, layers } = config;
  const tokens = ops.graph.input('tokens', 'int32', [-1]);
  let x = ops.gather(ops.weight('embedding'), tokens, 0); // [N, E]
  const outputs: Record<string, string> = {};
  for (let l = 0; l < layers; l++) {
    const h = ops.graph.input(stateNames(l, 'h').input, 'float32', [-1, H]);
    const inputPart = ops.affine(x, `${cell}${l}.inputKernel`, `${cell}${l}.inputBias`);
    const hiddenPart = ops.affine(h, `${cell}${l}.hiddenKernel`, `${cell}${l}.hiddenBias`);
    if (cell === 'lstm') {
      const c = ops.graph.input(stateNames(l, 'c').input, 'float32', [-1, H]);
      const [i, f, g, o] = ops.split(ops.binary('AddV2', inputPart, hiddenPart), 4, 1) as [
        string,
        string,
        string,
        string,
      ];
      const cNext = ops.binary(
        'AddV2',
        ops.binary('Mul', ops.unary('Sigmoid', f), c),
        ops.binary('Mul', ops.unary('Sigmoid', i), ops.unary('Tanh', g)),
      );
      const hNext = ops.binary('Mul', ops.unary('Sigmoid', o), ops.unary('Tanh', cNext));
      outputs[stateNames(l, 'c').output] = ops.graph.op(
        'Identity',
        [cNext],
        { T: { type: 'DT_FLOAT' } },
        stateNames(l, 'c').output,
      );
      outputs[stateNames(l, 'h').output] = ops.graph.op(
        'Identity',
        [hNext],
        { T: { type: 'DT_FLOAT' } },
        stateNames(l, 'h').output,
      );
      x = hNext;
      continue;
    }
    const [xr, xz, xn] = ops.split(inputPart, 3, 1) as [string, string, string];
    const [hr, hz, hn] = ops.split(hiddenPart, 3, 1) as [string, string, string];
    const r = ops.unary('Sigmoid', ops.binary('AddV2', xr, hr));
    const z = ops.unary('Sigmoid', ops.binary('AddV2', xz, hz));
    const n = ops.unary('Tanh', ops.binary('AddV2', xn, ops.binary('Mul', r, hn)));
    // (1 − z)·n + z·h, in the studio's order: n − n·z + z·h.
    const hNext = ops.binary(
      'AddV2',
      ops.binary('Sub', n, ops.binary('Mul', n, z)),
      ops.binary('Mul', z, h),
    );
    outputs[stateNames(l, 'h').output] = ops.graph.op(
      'Identity',
      [hNext],
      { T: { type: 'DT_FLOAT' } },
      stateNames(l, 'h').output,
    );
    x = hNext;
  }
  outputs['logits'] = ops.affine(x, 'output.kernel', 'output.bias');
  return { graph: ops.graph, outputs };
}

export function charGptGraph(config: CharGptConfig, weights: NamedWeights): GraphOutput {
  const ops = new GraphOps(new GraphBuilder(), weights);
  const { contextLength: T, width: C, heads, layers, vocabSize: V } = config;
  const d = C / heads;
  const tokens = ops.graph.input('tokens', 'int32', [-1, T]);
  const last = ops.graph.input('position', 'int32', [1]);

  const layerNorm = (x: string, prefix: string): string => {
    const centred = ops.binary('Sub', x, ops.meanLast(x));
    const variance = ops.meanLast(ops.unary('Square', centred));
    const rstd = ops.unary(
      'Rsqrt',
      ops.binary('AddV2', variance, ops.graph.scalar('eps', LAYER_NORM_EPSILON)),
    );
    const normalised = ops.binary('Mul', centred, rstd);
    return ops.binary(
      'AddV2',
      ops.binary('Mul', normalised, ops.weight(`${prefix}.gain`)),
      ops.weight(`${prefix}.bias`),
    );
  };
  const gelu = (x: string): string => {
    const inner = ops.binary(
      'AddV2',
      ops.binary('Mul', ops.unary('Square', x), ops.graph.scalar('c2', GELU_C2)),
      ops.graph.scalar('c1', GELU_C1),
    );
    return ops.binary('Mul', x, ops.unary('Sigmoid', ops.binary('Mul', x, inner)));
  };
  const mask = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = i + 1; j < T; j++) mask[i * T + j] = -1e9;
  const causalMask = ops.graph.constant('causalMask', mask, [T, T]);

  const attention = (x: string, l: number): string => {
    const qkv = ops.affineLastAxis(
      x,
      C,
      [-1, T],
      `block${l}.attn.qkv.kernel`,
      `block${l}.attn.qkv.bias`,
    );
    const heads4 = ops.reshape(qkv, [-1, T, 3 * heads, d]);
    const [q, , v] = ops.split(ops.transpose(heads4, [0, 2, 1, 3]), 3, 1) as [
      string,
      string,
      string,
    ]; // [N, h, T, d]
    const [, kT] = ops.split(ops.transpose(heads4, [0, 2, 3, 1]), 3, 1) as [string, string, string]; // [N, h, d, T]
    const scaledQ = ops.binary('Mul', q, ops.graph.scalar('scale', 1 / Math.sqrt(d)));
    const weights4 = ops.unary(
      'Softmax',
      ops.binary('AddV2', ops.batchMatMul(scaledQ, kT), causalMask),
    );
    const y = ops.reshape(ops.transpose(ops.batchMatMul(weights4, v), [0, 2, 1, 3]), [-1, T, C]);
    return ops.affineLastAxis(
      y,
      C,
      [-1, T],
      `block${l}.attn.proj.kernel`,
      `block${l}.attn.proj.bias`,
    );
  };

  let x = ops.binary(
    'AddV2',
    ops.gather(ops.weight('tokenEmbedding'), tokens, 0),
    ops.weight('positionEmbedding'),
  ); // [N, T, C]
  for (let l = 0; l < layers; l++) {
    x = ops.binary('AddV2', x, attention(layerNorm(x, `block${l}.ln1`), l));
    const hidden = gelu(
      ops.affineLastAxis(
        layerNorm(x, `block${l}.ln2`),
        C,
        [-1, T],
        `block${l}.mlp.fc.kernel`,
        `block${l}.mlp.fc.bias`,
      ),
    );
    const width = ops.shapeOf(`block${l}.mlp.fc.kernel`)[1] ?? C;
    x = ops.binary(
      'AddV2',
      x,
      ops.affineLastAxis(
        hidden,
        width,
        [-1, T],
        `block${l}.mlp.proj.kernel`,
        `block${l}.mlp.proj.bias`,
      ),
    );
  }
  const logits = ops.affineLastAxis(layerNorm(x, 'lnFinal'), C, [-1, T], 'head.kernel'); // [N, T, V]
  const atLast = ops.reshape(ops.gather(logits, last, 1), [-1, V]); // [N, V]
  return { graph: ops.graph, outputs: { logits: atLast } };
}
