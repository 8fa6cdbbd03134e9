// MinHash signatures and LSH banding for near-duplicate texts (Broder 1997; the banding of
// Leskovec, Rajaraman & Ullman, "Mining of Massive Datasets", ch. 3). With 32 bands of 4 rows, two
// texts whose shingle sets have Jaccard similarity s share a band with probability
// 1 − (1 − s⁴)³²: 0.96 at s = 0.6, 0.10 at s = 0.2 — candidates, then verified.

export const SIGNATURE_LENGTH = 128;
export const BANDS = 32;
const ROWS = SIGNATURE_LENGTH / BANDS;

/** 32-bit FNV-1a of a string. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Fixed odd multipliers and offsets: the same text always gets the same signature, across runs.
const MULTIPLIERS = new Uint32Array(SIGNATURE_LENGTH);
const OFFSETS = new Uint32Array(SIGNATURE_LENGTH);
{
  let s = 0x9e3779b9;
  const next = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < SIGNATURE_LENGTH; i++) {
    MULTIPLIERS[i] = next() | 1;
    OFFSETS[i] = next();
  }
}

/** Character n-grams of the normalised text, hashed: robust to one changed word in a short line. */
export function shingleHashes(normalized: string, size = 5): Uint32Array {
  const set = new Set<number>();
  if (normalized.length <= size) {
    if (normalized.length > 0) set.add(fnv1a(normalized));
  } else {
    for (let i = 0; i + size <= normalized.length; i++)
      set.add(fnv1a(normalized.slice(i, i + size)));
  }
  return Uint32Array.from(set);
}

export function minhashSignature(shingles: Uint32Array): Uint32Array {
  const signature = new Uint32Array(SIGNATURE_LENGTH).fill(0xffffffff);
  for (let s = 0; s < shingles.length; s++) {
    const h = shingles[s] as number;
    for (let i = 0; i < SIGNATURE_LENGTH; i++) {
      // Multiply-add then xor-shift mixing: a cheap, well-spread permutation of the 32-bit space.
      // Every step ends in >>> 0: `^` yields a signed int32, and a negative value compared with
      // the stored unsigned minimum would always win, keeping the last such shingle, not the
      // least (texts that merely ended alike got equal signatures).
      let v = (Math.imul(h, MULTIPLIERS[i] as number) + (OFFSETS[i] as number)) >>> 0;
      v = (v ^ (v >>> 15)) >>> 0;
      v = Math.imul(v, 0x2c1b3c6d) >>> 0;
      v = (v ^ (v >>> 12)) >>> 0;
      if (v < (signature[i] as number)) signature[i] = v;
    }
  }
  return signature;
}

export function estimatedJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < SIGNATURE_LENGTH; i++) if (a[i] === b[i]) same++;
  return same / SIGNATURE_LENGTH;
}

/** Pairs of indices sharing at least one LSH band (each pair once, smaller index first). */
export function lshCandidatePairs(
  signatures: readonly Uint32Array[],
  maxBucket = 200,
): [number, number][] {
  const pairs = new Set<string>();
  const out: [number, number][] = [];
  for (let band = 0; band < BANDS; band++) {
    const buckets = new Map<string, number[]>();
    signatures.forEach((sig, i) => {
      if (sig.length === 0) return;
      const key = Array.from(sig.subarray(band * ROWS, band * ROWS + ROWS)).join(',');
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    });
    for (const bucket of buckets.values()) {
      // A huge bucket is one repeated text (caught as an exact duplicate) or a degenerate band;
      // comparing inside it would be all-pairs again.
      if (bucket.length < 2 || bucket.length > maxBucket) continue;
      for (let x = 0; x < bucket.length; x++) {
        for (let y = x + 1; y < bucket.length; y++) {
          const a = bucket[x] as number;
          const b = bucket[y] as number;
          const key = `${a}:${b}`;
          if (pairs.has(key)) continue;
          pairs.add(key);
          out.push([a, b]);
        }
      }
    }
  }
  return out;
}
