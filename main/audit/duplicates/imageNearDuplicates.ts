import type { ImageFeatures } from '../image/imageFeatures';
import { dot, registeredVector } from '../image/pixels';
import type { Neighbours } from '../index/knn';
import { round, type WorkControl } from '../types';
import { UnionFind, type DuplicateGroup } from './groups';

// Near-duplicate images: found among each image's nearest neighbours in the index (never all
// pairs), then verified on the registered detail copies, because on small pictures such as
// 28×28 digits a perceptual hash or a plain distance cannot tell a JPEG copy from another
// writer's very similar "1". Measured on MNIST: a re-encoded, resized, shifted or brightened copy
// correlates ≥ 0.99 with its original after registration, while 1% of digits have a *different*
// digit above 0.985. So an edge is accepted when the similarity is very high, or when it is high
// and far closer than anything else near either image (Lowe's ratio test): a copy stands out
// from its neighbourhood, a look-alike in a crowd of look-alikes does not.

export interface NearDuplicateOptions {
  /** Accepted outright at or above this similarity. */
  strongSimilarity: number;
  /** Never accepted below this similarity when both images have the same size... */
  weakSimilarity: number;
  /**
   * ...or below this one when their sizes differ: a resized copy has lost detail that no
   * comparison can bring back, so it is judged more by how it stands out from its neighbours.
   */
  resizedSimilarity: number;
  /** A weaker edge needs (1 - s) ≤ ratio × (1 - similarity to the nearest other image). */
  ratio: number;
  /** Neighbours whose coarse similarity is below this are not verified. */
  candidateSimilarity: number;
  /** Detail copies are compared at this share of the smaller image's side. */
  compareScale: number;
  /** Any edge needs (1 - s) ≤ typicalRatio × (1 - each image's similarity to its k-th neighbour). */
  typicalRatio: number;
}

export const NEAR_DUPLICATE_DEFAULTS: NearDuplicateOptions = {
  strongSimilarity: 0.993,
  weakSimilarity: 0.985,
  resizedSimilarity: 0.95,
  ratio: 0.4,
  candidateSimilarity: 0.9,
  compareScale: 0.8,
  typicalRatio: 0.25,
};

/**
 * How alike an image is to its k-th most similar neighbour: past its few real copies, what the
 * dataset's "different image of the same kind" looks like around it.
 */
function kthSimilarity(list: readonly { row: number; similarity: number }[], k: number): number {
  const best = new Map<number, number>();
  for (const x of list) best.set(x.row, Math.max(best.get(x.row) ?? -1, x.similarity));
  const sorted = [...best.values()].sort((a, b) => b - a);
  return sorted.length === 0 ? 0 : (sorted[Math.min(k, sorted.length) - 1] as number);
}

export interface NearDuplicateEdge {
  a: number;
  b: number;
  similarity: number;
}

export interface NearDuplicateResult {
  groups: (DuplicateGroup & { edges: NearDuplicateEdge[]; weakest: number })[];
}

/** Similarity of two images' detail copies, registered, at the size both can show. */
export class DetailComparer {
  private readonly cache = new Map<number, Float32Array>();

  constructor(
    private readonly features: (position: number) => ImageFeatures,
    private readonly scale: number,
  ) {}

  /** Null when the shapes differ too much for the images to be copies of each other. */
  similarity(a: number, b: number): number | null {
    const fa = this.features(a);
    const fb = this.features(b);
    const aspectA = fa.detailWidth / fa.detailHeight;
    const aspectB = fb.detailWidth / fb.detailHeight;
    if (Math.abs(Math.log(aspectA / aspectB)) > 0.1) return null;
    const side = Math.max(
      6,
      Math.round(
        this.scale * Math.min(fa.detailWidth, fa.detailHeight, fb.detailWidth, fb.detailHeight),
      ),
    );
    return dot(this.vector(a, fa, side), this.vector(b, fb, side));
  }

  private vector(position: number, f: ImageFeatures, side: number): Float32Array {
    // Most datasets have one image size, so one entry per image; the key keeps mixed sizes right.
    const key = position * 64 + side;
    let v = this.cache.get(key);
    if (!v) {
      v = registeredVector(f.detail, f.detailWidth, f.detailHeight, f.placement, side);
      this.cache.set(key, v);
    }
    return v;
  }
}

/**
 * Groups near-duplicate images. `positions` are the images taking part (decodable, not blank,
 * one per exact-duplicate group); `neighbours` rows are indexed like `positions`.
 */
export async function findImageNearDuplicates(
  positions: readonly number[],
  features: (position: number) => ImageFeatures,
  neighbours: Neighbours,
  control: WorkControl,
  options: NearDuplicateOptions = NEAR_DUPLICATE_DEFAULTS,
): Promise<NearDuplicateResult> {
  const n = positions.length;
  const comparer = new DetailComparer(
    (row) => features(positions[row] as number),
    options.compareScale,
  );
  const verified = new Map<string, number>();
  // Per row: every neighbour's similarity (verified where it was worth it, else coarse).
  const around: { row: number; similarity: number }[][] = Array.from({ length: n }, () => []);
  const edges: NearDuplicateEdge[] = [];
  for (let i = 0; i < n; i++) {
    const fi = features(positions[i] as number);
    for (let t = 0; t < neighbours.k; t++) {
      const j = neighbours.index[i * neighbours.k + t] as number;
      if (j < 0) continue;
      const coarse = dot(fi.coarse, features(positions[j] as number).coarse);
      let similarity = coarse;
      if (coarse >= options.candidateSimilarity) {
        const key = i < j ? `${i}:${j}` : `${j}:${i}`;
        let s = verified.get(key);
        if (s === undefined) {
          s = comparer.similarity(i, j) ?? -1;
          verified.set(key, s);
          const floor = sameSize(fi, features(positions[j] as number))
            ? options.weakSimilarity
            : options.resizedSimilarity;
          if (s >= floor) edges.push({ a: Math.min(i, j), b: Math.max(i, j), similarity: s });
        }
        similarity = s;
      }
      around[i]?.push({ row: j, similarity });
      around[j]?.push({ row: i, similarity });
    }
    if (i % 1000 === 999) {
      control.progress('near-duplicates', i + 1, n);
      await control.checkpoint();
    }
  }

  // Calibrated on the data: how alike an image usually is to its neighbours. Different images of
  // a small, simple shape (a "1" among scanned digits) are all 0.99 alike, so a fixed cut-off
  // would call them copies; a pair is accepted outright only when it is much closer than the
  // images' typical neighbours are.
  const typical = around.map((list) => kthSimilarity(list, neighbours.k));
  const calibrated = (e: NearDuplicateEdge): boolean => {
    const gap = 1 - e.similarity;
    return (
      gap <= options.typicalRatio * (1 - (typical[e.a] as number)) &&
      gap <= options.typicalRatio * (1 - (typical[e.b] as number))
    );
  };
  const strong = new UnionFind(n);
  for (const e of edges)
    if (e.similarity >= options.strongSimilarity && calibrated(e)) strong.union(e.a, e.b);
  const accepted = edges.filter((e) => {
    if (!calibrated(e)) return false;
    if (e.similarity >= options.strongSimilarity) return true;
    const ca = strong.find(e.a);
    const cb = strong.find(e.b);
    const others = (row: number): number => {
      let best = -1;
      for (const nb of around[row] ?? []) {
        const c = strong.find(nb.row);
        if (c !== ca && c !== cb && nb.similarity > best) best = nb.similarity;
      }
      return best;
    };
    const gap = 1 - e.similarity;
    return gap <= options.ratio * (1 - others(e.a)) && gap <= options.ratio * (1 - others(e.b));
  });

  const uf = new UnionFind(n);
  for (const e of accepted) uf.union(e.a, e.b);
  const groups = uf.groups().map((rows) => {
    const inGroup = new Set(rows);
    const groupEdges = accepted
      .filter((e) => inGroup.has(e.a))
      .map((e) => ({
        a: positions[e.a] as number,
        b: positions[e.b] as number,
        similarity: round(e.similarity),
      }));
    const members = rows.map((r) => positions[r] as number);
    // The copy with the most pixels stays: it has lost the least.
    const keep = [...members].sort(
      (x, y) => pixelsOf(features(y)) - pixelsOf(features(x)) || x - y,
    )[0] as number;
    return {
      members,
      keep,
      edges: groupEdges,
      weakest: Math.min(...groupEdges.map((e) => e.similarity)),
    };
  });
  return { groups };
}

function sameSize(a: ImageFeatures, b: ImageFeatures): boolean {
  return a.width === b.width && a.height === b.height;
}

function pixelsOf(f: ImageFeatures): number {
  return f.width * f.height;
}
