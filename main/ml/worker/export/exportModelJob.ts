// The worker's model export: a checkpoint folder → a TensorFlow.js graph model folder (model.json,
// one weights shard), `studio-model.json` (what the model is and how to sample it), the sampling
// loop and a Node loader. The graph is written from the checkpoint's named tensors; the model is
// never built, so exporting costs a file read and a write.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { StudioFailure } from '../../../common/failure';
import { resolveFamilyConfig, type FamilyConfig } from '../../config/configs';
import { TRAINING_PIXEL_RANGE } from '../../config/pixelRange';
import type { ExportModelRequest, ExportModelResult } from '../../protocol';
import { readCheckpointManifest, type CheckpointManifest } from '../training/checkpoint';
import { DEFAULT_TEXT_DECODING } from '../training/generation';
import type { NamedWeights } from './graphOps';
import { convVaeGraph, dcganGraph, denseVaeGraph, type GraphOutput } from './imageGraphs';
import { exampleMjs, GENERATE_MJS, LOAD_NODE_MJS } from './runtimeFiles';
import { charGptGraph, charRnnGraph } from './textGraphs';

export const WEIGHTS_FILE = 'group1-shard1of1.bin';

async function readWeights(dir: string, manifest: CheckpointManifest): Promise<NamedWeights> {
  const bytes = await fs.readFile(path.join(dir, manifest.weightsFile));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const weights: NamedWeights = new Map();
  for (const t of manifest.tensors) {
    if (t.offset + t.length > values.length) {
      throw new StudioFailure(
        'invalid-input',
        `The checkpoint in ${dir} has a short weights file.`,
      );
    }
    weights.set(t.name, { values: values.subarray(t.offset, t.offset + t.length), shape: t.shape });
  }
  return weights;
}

function graphOf(spec: FamilyConfig, weights: NamedWeights): GraphOutput {
  switch (spec.family) {
    case 'dense-vae':
      return denseVaeGraph(spec.config, weights);
    case 'conv-vae':
      return convVaeGraph(spec.config, weights);
    case 'dcgan':
      return dcganGraph(spec.config, weights);
    case 'char-rnn':
      return charRnnGraph(spec.config, weights);
    case 'char-gpt':
      return charGptGraph(spec.config, weights);
  }
}

/** What studio-model.json says: enough for generate.mjs and for a reader to use the model. */
function studioModelInfo(spec: FamilyConfig, manifest: CheckpointManifest, graph: GraphOutput) {
  const inputs = Object.fromEntries(graph.graph.inputNames().map((name) => [name, name]));
  const common = {
    format: 'generative-studio-model',
    version: 1,
    family: spec.family,
    config: spec.config,
    step: manifest.step,
    seedNote: 'generate.mjs with the same seed and options gives the studio’s samples',
    graph: { inputs, outputs: graph.outputs },
  };
  if (manifest.data.kind === 'text') {
    return {
      ...common,
      kind: 'text',
      vocabulary: manifest.data.vocabulary,
      decoding: DEFAULT_TEXT_DECODING,
    };
  }
  const family = spec.family as keyof typeof TRAINING_PIXEL_RANGE;
  return {
    ...common,
    kind: 'image',
    imageSize: manifest.data.imageSize,
    channels: manifest.data.channels,
    classCount: manifest.data.classCount,
    latentDim: (spec.config as { latentDim: number }).latentDim,
    // What the graph outputs (the family trained in TRAINING_PIXEL_RANGE; its output is mapped back).
    pixelRange: 'zero-one',
    trainingPixelRange: TRAINING_PIXEL_RANGE[family],
    layout: 'NHWC',
  };
}

/**
 * The manifest and the weights it names, read together. A run that trains on writes a new
 * checkpoint and then removes the old weights file, so a read that lands in between starts over.
 */
async function readCheckpoint(
  dir: string,
): Promise<{ manifest: CheckpointManifest; weights: NamedWeights }> {
  for (let attempt = 1; ; attempt++) {
    const manifest = await readCheckpointManifest(dir);
    try {
      return { manifest, weights: await readWeights(dir, manifest) };
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
      if (!missing || attempt >= 3) throw error;
    }
  }
}

export async function runExportModelJob(request: ExportModelRequest): Promise<ExportModelResult> {
  const { manifest, weights: named } = await readCheckpoint(request.checkpoint);
  let spec: FamilyConfig;
  try {
    spec = resolveFamilyConfig(manifest.family, manifest.config);
  } catch (error) {
    throw new StudioFailure(
      'ml',
      `The checkpoint's config is invalid: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const graph = graphOf(spec, named);
  const { modelJson, weights } = graph.graph.build(graph.outputs, WEIGHTS_FILE, {});
  const info = studioModelInfo(spec, manifest, graph);
  const files: Record<string, string | Uint8Array> = {
    'model.json': JSON.stringify(modelJson),
    [WEIGHTS_FILE]: weights,
    'studio-model.json': JSON.stringify(info, null, 2),
    'generate.mjs': GENERATE_MJS,
    'load-node.mjs': LOAD_NODE_MJS,
    'example.mjs': exampleMjs(info.kind === 'text' ? 'text' : 'image'),
    // So that `node example.mjs` treats the folder's .mjs files as modules whatever is above it.
    'package.json': JSON.stringify(
      {
        name: 'studio-model',
        private: true,
        type: 'module',
        dependencies: { '@tensorflow/tfjs': '^4.22.0' },
      },
      null,
      2,
    ),
  };
  // `wx`: never overwrite (the service hands in a fresh folder).
  await fs.mkdir(request.outDir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await fs.writeFile(path.join(request.outDir, name), content, { flag: 'wx' });
  }
  return {
    family: spec.family,
    kind: info.kind === 'text' ? 'text' : 'image',
    step: manifest.step,
    files: Object.keys(files),
    weightBytes: weights.byteLength,
  };
}
