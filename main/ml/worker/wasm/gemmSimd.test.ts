import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  differingBits,
  relativeError,
  seededValues,
  wasmVersusCpu,
  wasmWithStudioKernels,
  seededTensor,
  namedMatMulCases,
  type MatMulCase,
  withProductsFused,
} from '../testing/kernels';
import { fusedMultiplyAddAvailable, productsFuseMultiplyAdd } from './fusedMultiplyAdd';
import { gemmOps, setGemmOpsEnabled, type GemmOps } from './gemmSimd';
import { allocF32, dispose, f32Offset, heapF32, wasmBackendOf } from './wasmHeap';

const tensor = seededTensor;

type Case = MatMulCase;

// Shapes the compiled path takes (m a multiple of 4, n of 8, a batch of distinct right-hand
// matrices), with odd inner sizes, a batch of one, a broadcast left side and transposed operands;
// and shapes next to them that it leaves to XNNPACK (m or n off the tiles).
const CASES: Case[] = [
  { a: [3, 8, 13], b: [3, 13, 16], transposeA: false, transposeB: false },
  { a: [1, 4, 1], b: [1, 1, 8], transposeA: false, transposeB: false },
  { a: [2, 2, 12, 5], b: [2, 2, 5, 24], transposeA: false, transposeB: false },
  { a: [2, 2, 32, 8], b: [2, 2, 32, 8], transposeA: false, transposeB: true },
  { a: [2, 2, 7, 32], b: [2, 2, 7, 8], transposeA: true, transposeB: false },
  { a: [5, 16], b: [3, 5, 8], transposeA: true, transposeB: false },
  { a: [3, 9, 13], b: [3, 13, 16], transposeA: false, transposeB: false },
  { a: [3, 8, 13], b: [3, 13, 12], transposeA: false, transposeB: false },
];

/**
 * a [m, k], b [k, n] and c [m, n] on the wasm heap, filled with `av`, `bv` and `cv`; runs `product`
 * on their byte addresses with the compiled functions and returns c afterwards.
 */
async function onHeap(
  [m, k, n]: [number, number, number],
  [av, bv, cv]: [Float32Array, Float32Array, Float32Array],
  product: (ops: GemmOps, a: number, b: number, c: number) => void,
): Promise<Float32Array> {
  await wasmWithStudioKernels();
  const backend = wasmBackendOf(tf.backend());
  const ops = gemmOps(backend);
  if (ops === null) throw new Error('no compiled gemm');
  const operands = [
    allocF32(backend, [m, k]),
    allocF32(backend, [k, n]),
    allocF32(backend, [m, n]),
  ];
  try {
    const heap = heapF32(backend);
    const [a, b, c] = operands.map((t, i) => {
      heap.set([av, bv, cv][i] as Float32Array, f32Offset(backend, t));
      return f32Offset(backend, t) * 4;
    }) as [number, number, number];
    product(ops, a, b, c);
    return heapF32(backend).slice(c / 4, c / 4 + m * n);
  } finally {
    dispose(backend, ...operands);
  }
}

describe('the compiled small-matrix product (gemmSimd) matches the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it('builds here (else only the XNNPACK path would be tested)', async () => {
    await wasmWithStudioKernels();
    expect(gemmOps(wasmBackendOf(tf.backend()))).not.toBeNull();
  });

  it('gemm on the heap equals a float64 triple loop to float32 rounding', async () => {
    const [m, k, n] = [12, 7, 24];
    const av = seededValues(m * k, 1);
    const bv = seededValues(k * n, 2);
    const actual = await onHeap(
      [m, k, n],
      [av, bv, new Float32Array(m * n).fill(Number.NaN)],
      (ops, a, b, c) => ops.gemm(a, b, c, m, k, n),
    );
    const expected = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (av[i * k + p] as number) * (bv[p * n + j] as number);
        expected[i * n + j] = sum;
      }
    }
    expect(relativeError(actual, expected)).toBeLessThan(1e-6);
  });

  it.each(namedMatMulCases(CASES))('BatchMatMul %s, compiled and XNNPACK', async (_name, c, i) => {
    for (const compiled of [true, false]) {
      setGemmOpsEnabled(compiled);
      try {
        const error = await wasmVersusCpu(() =>
          tf.matMul(tensor(c.a, 30 + i), tensor(c.b, 40 + i), c.transposeA, c.transposeB),
        );
        expect(error).toBeLessThan(1e-5);
      } finally {
        setGemmOpsEnabled(true);
      }
    }
  });

  it('gemmAccumulate starts each sum from c, summing in float32 in k order, fused or not', async () => {
    const [m, k, n] = [8, 5, 16];
    const av = seededValues(m * k, 3);
    const bv = seededValues(k * n, 4);
    const cv = seededValues(m * n, 5).map((v) => 100 * v);
    for (const fused of fusedAndNot()) {
      const actual = await withProductsFused(fused, () =>
        onHeap([m, k, n], [av, bv, cv], (ops, a, b, c) =>
          ops.strided.gemmAccumulate(a, b, c, m, k, n, 4 * k, 4, 4 * n, 4 * n, 1, 1),
        ),
      );
      const expected = kOrderSums(av, bv, [m, k, n], fused, (j, i) => cv[i * n + j] ?? 0);
      expect(differingBits(actual, expected)).toBe(0);
    }
  });

  it('fuses where relaxed SIMD is there: 1 + 2⁻¹² squared, minus 1, keeps its 2⁻²⁴', async () => {
    if (!fusedMultiplyAddAvailable()) return;
    const x = 1 + 2 ** -12;
    const [m, k, n] = [4, 2, 8];
    // Each output: (−1)·1, then x·x added: fused, −1 + x² = 2⁻¹¹ + 2⁻²⁴ exactly; unfused, x²
    // rounds to 1 + 2⁻¹¹ first (2⁻²⁴ is half a unit in the last place of 1: a tie, to even).
    const av = new Float32Array(m * k).map((_, i) => (i % 2 === 0 ? -1 : x));
    const bv = new Float32Array(k * n).map((_, i) => (i < n ? 1 : x));
    const results = [];
    for (const fused of [false, true]) {
      results.push(
        await withProductsFused(fused, () =>
          onHeap([m, k, n], [av, bv, new Float32Array(m * n)], (ops, a, b, c) =>
            ops.gemm(a, b, c, m, k, n),
          ),
        ),
      );
    }
    expect([...new Set(results[0])]).toEqual([2 ** -11]);
    expect([...new Set(results[1])]).toEqual([2 ** -11 + 2 ** -24]);
  });

  // Products that go compiled as one product in tiles (gemmThreads.ts). Unfused, every output
  // must be XNNPACK's sum to the bit; fused, the k-order sum with each term rounded once, whatever
  // the tiles and passes. Deep enough (k 2600, n 128) to be cut into passes over k, with more
  // rows than a batch; a dense layer with its bias (XNNPACK starts each sum from the bias); a
  // batch of left matrices sharing one right-hand side (one tall product).
  const SINGLE: [string, Single][] = [
    ['deep, in passes over k', { a: [96, 2600], b: [2600, 128], seed: 71 }],
    ['dense layer with a bias', { a: [64, 72], b: [72, 40], bias: true, seed: 73 }],
    ['a batch sharing b, with a bias', { a: [3, 32, 24], b: [24, 16], bias: true, seed: 76 }],
    ['a batch sharing b', { a: [3, 32, 24], b: [24, 16], seed: 79 }],
  ];

  it.each(SINGLE)('%s unfused: the bits of XNNPACK', async (_name, single) => {
    await wasmWithStudioKernels();
    const product = singleProduct(single);
    setGemmOpsEnabled(false);
    const xnnpack = product();
    setGemmOpsEnabled(true);
    const compiled = await withProductsFused(false, product);
    try {
      expect(differingBits(compiled.dataSync(), xnnpack.dataSync())).toBe(0);
      expect(await wasmVersusCpu(product)).toBeLessThan(1e-5);
    } finally {
      tf.dispose([xnnpack, compiled]);
    }
  });

  it.each(SINGLE)('%s: k-order sums as the products are set to fuse', async (_name, single) => {
    await wasmWithStudioKernels();
    const product = singleProduct(single);
    const compiled = product();
    try {
      const [m, k, n] = [
        single.a.slice(0, -1).reduce((x, y) => x * y, 1),
        single.b[0],
        single.b[1],
      ];
      const av = seededValues(m * (k ?? 0), single.seed);
      const bv = seededValues((k ?? 0) * (n ?? 0), single.seed + 1);
      const bias = seededValues(n ?? 0, single.seed + 2);
      const expected = kOrderSums(av, bv, [m, k ?? 0, n ?? 0], productsFuseMultiplyAdd(), (j) =>
        single.bias === true ? (bias[j] ?? 0) : 0,
      );
      expect(differingBits(compiled.dataSync(), expected)).toBe(0);
      expect(await wasmVersusCpu(product)).toBeLessThan(1e-5);
    } finally {
      compiled.dispose();
    }
  });
});

interface Single {
  a: number[];
  b: [number, number];
  bias?: boolean;
  /** a's seed; b's is seed + 1, the bias's seed + 2. */
  seed: number;
}

function singleProduct({ a, b, bias, seed }: Single): () => tf.Tensor {
  return () =>
    bias === true
      ? tf.fused.matMul({
          a: tensor(a, seed),
          b: tensor(b, seed + 1),
          bias: tensor([b[1]], seed + 2),
        })
      : tf.matMul(tensor(a, seed), tensor(b, seed + 1));
}

/** The fused products where the engine has them, and the unfused ones. */
function fusedAndNot(): boolean[] {
  return fusedMultiplyAddAvailable() ? [false, true] : [false];
}

/**
 * Every c[i, j] = start(j, i) + Σ_p a[i, p]·b[p, j] in p order in float32: each term rounded once
 * (fused: the product of two float32 is exact in float64, so only the sum rounds) or twice.
 */
function kOrderSums(
  av: Float32Array,
  bv: Float32Array,
  [m, k, n]: [number, number, number],
  fused: boolean,
  start: (j: number, i: number) => number,
): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = Math.fround(start(j, i));
      for (let p = 0; p < k; p++) {
        const term = (av[i * k + p] as number) * (bv[p * n + j] as number);
        sum = Math.fround(sum + (fused ? term : Math.fround(term)));
      }
      out[i * n + j] = sum;
    }
  }
  return out;
}
