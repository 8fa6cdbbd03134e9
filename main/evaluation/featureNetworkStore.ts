// The feature network's weights as plain data, and on disk, so main can keep one per dataset
// version (e.g. under cache/features/<versionId>/<key>/) and every run on that version is judged
// by the same network. tfjs-free: the worker (main/ml/worker/evaluation/featureNetwork.ts) trains
// and runs it; this file only names, writes and reads its arrays.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../store/atomicWrite';

export const FEATURE_NETWORK_FORMAT = 'generative-studio-feature-network-1';

export interface FeatureNetworkTensor {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Everything needed to rebuild the network: structured-clone-friendly. */
export interface FeatureNetworkWeights {
  format: typeof FEATURE_NETWORK_FORMAT;
  /** classifier: trained on labels, can predict classes; autoencoder: trained to reconstruct. */
  kind: 'classifier' | 'autoencoder';
  height: number;
  width: number;
  channels: number;
  /** 0 for an autoencoder. */
  classCount: number;
  embeddingDim: number;
  filters: [number, number];
  /** The training loss over the last steps (cross-entropy, or mean squared error per pixel). */
  finalLoss: number;
  tensors: FeatureNetworkTensor[];
}

/**
 * A folder name for one network of a version: it depends on the image shape the runs use and on
 * how it was trained, so a run at another size or with other options gets its own.
 */
export function featureNetworkKey(
  shape: { height: number; width: number; channels: number },
  training: { steps: number; embeddingDim: number; seed: number },
): string {
  return `${shape.width}x${shape.height}x${shape.channels}-e${training.embeddingDim}-s${training.steps}-seed${training.seed}`;
}

const MANIFEST = 'network.json';
const VALUES = 'weights.f32';

interface Manifest extends Omit<FeatureNetworkWeights, 'tensors'> {
  littleEndian: boolean;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

const littleEndian = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Writes the weights into `dir` (created if needed); the manifest last, so a half-written folder is not found. */
export async function writeFeatureNetwork(
  dir: string,
  weights: FeatureNetworkWeights,
): Promise<void> {
  const total = weights.tensors.reduce((sum, t) => sum + t.values.length, 0);
  const values = new Float32Array(total);
  let offset = 0;
  const tensors = weights.tensors.map((t) => {
    values.set(t.values, offset);
    const entry = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length;
    return entry;
  });
  const manifest: Manifest = { ...weights, littleEndian, tensors };
  await writeFileAtomic(path.join(dir, VALUES), new Uint8Array(values.buffer));
  await writeFileAtomic(
    path.join(dir, MANIFEST),
    new TextEncoder().encode(JSON.stringify(manifest)),
  );
}

/** The weights in `dir`, or null when there are none (or of another format or byte order). */
export async function readFeatureNetwork(dir: string): Promise<FeatureNetworkWeights | null> {
  let manifest: Manifest;
  let bytes: Buffer;
  try {
    manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
    bytes = await fs.readFile(path.join(dir, VALUES));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  if (manifest.format !== FEATURE_NETWORK_FORMAT || manifest.littleEndian !== littleEndian)
    return null;
  // A copy into an aligned buffer of its own (a Buffer may sit at any offset of a shared pool).
  const values = new Float32Array(new Uint8Array(bytes).buffer);
  const { littleEndian: _order, tensors, ...rest } = manifest;
  if (tensors.some((t) => t.offset + t.length > values.length)) return null;
  return {
    ...rest,
    tensors: tensors.map((t) => ({
      name: t.name,
      shape: t.shape,
      values: values.slice(t.offset, t.offset + t.length),
    })),
  };
}

/** How the feature network is trained (the worker holds the defaults). */
export interface FeatureNetworkOptions {
  steps: number;
  batchSize: number;
  learningRate: number;
  /** Width of the embedding (the penultimate layer). */
  embeddingDim: number;
  /** Filters of the two stride-2 convolutions. */
  filters: [number, number];
  seed: number;
}
