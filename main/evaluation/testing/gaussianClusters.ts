// Stand-in "features" for the metric tests: labeled Gaussian clusters, drawn from a seed. A
// feature network's embedding of a labeled image set looks like this to the metrics (one cloud
// per class), and its true distribution is known, so a metric can be checked against it.

import { seededRandom } from '../../common/random';
import type { FeatureRows } from '../features';

/** Standard normal draws (Box–Muller) from a uniform generator. */
export function normalDraws(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}

export interface ClusterWorld {
  dim: number;
  classCount: number;
  /** [classCount, dim] */
  centres: Float32Array;
  spread: number;
}

/** `classCount` centres spread uniformly over [−5, 5]^dim; each cluster has std `spread`. */
export function clusterWorld(seed: number, dim = 8, classCount = 10, spread = 1): ClusterWorld {
  const random = seededRandom(seed);
  const centres = Float32Array.from({ length: classCount * dim }, () => random() * 10 - 5);
  return { dim, classCount, centres, spread };
}

export interface LabeledRows {
  rows: FeatureRows;
  labels: Int32Array;
}

/** `count` draws, classes in turn over `classes` (default all), from a seed. */
export function drawClusters(
  world: ClusterWorld,
  count: number,
  seed: number,
  classes: readonly number[] = Array.from({ length: world.classCount }, (_, c) => c),
): LabeledRows {
  const normal = normalDraws(seededRandom(seed));
  const values = new Float32Array(count * world.dim);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const c = classes[i % classes.length] as number;
    labels[i] = c;
    for (let d = 0; d < world.dim; d++) {
      values[i * world.dim + d] =
        (world.centres[c * world.dim + d] as number) + world.spread * normal();
    }
  }
  return { rows: { values, count, dim: world.dim }, labels };
}

/** Isotropic Gaussian noise of std `scale` around 0: what features of noise images look like. */
export function noiseRows(count: number, dim: number, seed: number, scale = 6): FeatureRows {
  const normal = normalDraws(seededRandom(seed));
  return { values: Float32Array.from({ length: count * dim }, () => scale * normal()), count, dim };
}

/** Every row the same point: what features of blank images look like. */
export function constantRows(count: number, dim: number, value: number): FeatureRows {
  return { values: new Float32Array(count * dim).fill(value), count, dim };
}
