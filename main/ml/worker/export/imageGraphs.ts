// The image families' generators as graphs: latent z [N, L] (and class ids [N] for a conditional
// GAN) → images [N, S, S, C] in [0, 1], the same ops as each family's `generate` (the VAEs'
// decoders, the GAN's generator in sampling mode with its running batch-norm statistics).

import type { ConvVaeConfig, DcganConfig, DenseVaeConfig } from '../../config/configs';
import { GraphBuilder } from './graphBuilder';
import { GraphOps, type NamedWeights } from './graphOps';

/** The studio's batch-norm ε (models/layers.ts). */
const BATCH_NORM_EPSILON = 1e-5;

export interface GraphOutput {
  graph: GraphBuilder;
  outputs: Record<string, string>;
}

export function denseVaeGraph(config: DenseVaeConfig, weights: NamedWeights): GraphOutput {
  const ops = new GraphOps(new GraphBuilder(), weights);
  const z = ops.graph.input('latent', 'float32', [-1, config.latentDim]);
  const hidden = ops.unary('Relu', ops.affine(z, 'decoder.hidden.kernel', 'decoder.hidden.bias'));
  const logits = ops.affine(hidden, 'decoder.output.kernel', 'decoder.output.bias'); // [N, D]
  const { imageSize: s, channels: c } = config;
  const images = ops.reshape(ops.unary('Sigmoid', logits), [-1, s, s, c]);
  return { graph: ops.graph, outputs: { images } };
}

export function convVaeGraph(config: ConvVaeConfig, weights: NamedWeights): GraphOutput {
  const ops = new GraphOps(new GraphBuilder(), weights);
  const { imageSize, latentDim, filters } = config;
  const z = ops.graph.input('latent', 'float32', [-1, latentDim]);
  let side = imageSize / 2 ** filters.length;
  const last = filters[filters.length - 1] ?? 1;
  const dense = ops.unary('Relu', ops.affine(z, 'decoder.dense.kernel', 'decoder.dense.bias'));
  let h = ops.reshape(dense, [-1, side, side, last]);
  for (let i = 0; i < filters.length; i++) {
    h = ops.convTranspose2x(h, `decoder.convT${i}.kernel`, `decoder.convT${i}.bias`, side, side);
    side *= 2;
    if (i < filters.length - 1) h = ops.unary('Relu', h);
  }
  return { graph: ops.graph, outputs: { images: ops.unary('Sigmoid', h) } };
}

export function dcganGraph(config: DcganConfig, weights: NamedWeights): GraphOutput {
  const ops = new GraphOps(new GraphBuilder(), weights);
  const { imageSize, latentDim, classCount, leakySlope } = config;
  const gf = config.generatorFilters;
  const z = ops.graph.input('latent', 'float32', [-1, latentDim]);
  let input = z;
  if (classCount > 0) {
    const classes = ops.graph.input('classes', 'int32', [-1]);
    input = ops.concat([z, ops.oneHot(classes, classCount)], 1); // [N, L + K]
  }
  const norm = (x: string, prefix: string): string =>
    ops.leakyRelu(ops.batchNorm(x, prefix, BATCH_NORM_EPSILON), leakySlope);
  let side = imageSize / 2 ** gf.length;
  const dense = norm(ops.affine(input, 'generator.dense.kernel'), 'generator.dense.bn');
  let h = ops.reshape(dense, [-1, side, side, gf[0] ?? 1]);
  for (let i = 0; i < gf.length; i++) {
    h = ops.convTranspose2x(
      h,
      `generator.convT${i}.kernel`,
      `generator.convT${i}.bias`,
      side,
      side,
    );
    side *= 2;
    if (i < gf.length - 1) h = norm(h, `generator.convT${i}.bn`);
  }
  // tanh's [−1, 1] to [0, 1], as the studio's generate does: (x + 1) / 2.
  const images = ops.binary(
    'RealDiv',
    ops.binary('AddV2', ops.unary('Tanh', h), ops.graph.scalar('one', 1)),
    ops.graph.scalar('two', 2),
  );
  return { graph: ops.graph, outputs: { images } };
}
