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
} from '../testing/kernels';
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

  it('gemmAccumulate starts each sum from c, summing in float32 in k order', async () => {
    const [m, k, n] = [8, 5, 16];
    const av = seededValues(m * k, 3);
    const bv = seededValues(k * n, 4);
    const cv = seededValues(m * n, 5).map((v) => 100 * v);
    const actual = await onHeap([m, k, n], [av, bv, cv], (ops, a, b, c) =>
      ops.strided.gemmAccumulate(a, b, c, m, k, n, 4 * k, 4, 4 * n, 4 * n, 1, 1),
    );
    const expected = new Float32Array(m * n);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = Math.fround(cv[i * n + j] as number);
        for (let p = 0; p < k; p++) {
          const term = Math.fround((av[i * k + p] as number) * (bv[p * n + j] as number));
          sum = Math.fround(sum + term);
        }
        expected[i * n + j] = sum;
      }
    }
    expect([...actual]).toEqual([...expected]);
  });

  // Products that go compiled as one product in tiles (gemmThreads.ts): every output must be
  // XNNPACK's sum to the bit. Deep enough (k 2600, n 128) to be cut into passes over k, with more
  // rows than a batch; a dense layer with its bias (XNNPACK starts each sum from the bias); a
  // batch of left matrices sharing one right-hand side (one tall product).
  const SINGLE: [string, () => tf.Tensor][] = [
    ['deep, in passes over k', () => tf.matMul(tensor([96, 2600], 71), tensor([2600, 128], 72))],
    [
      'dense layer with a bias',
      () =>
        tf.fused.matMul({
          a: tensor([64, 72], 73),
          b: tensor([72, 40], 74),
          bias: tensor([40], 75),
        }),
    ],
    [
      'a batch sharing b, with a bias',
      () =>
        tf.fused.matMul({
          a: tensor([3, 32, 24], 76),
          b: tensor([24, 16], 77),
          bias: tensor([16], 78),
        }),
    ],
    ['a batch sharing b', () => tf.matMul(tensor([3, 32, 24], 79), tensor([24, 16], 80))],
  ];

  it.each(SINGLE)('%s: the bits of XNNPACK', async (_name, product) => {
    await wasmWithStudioKernels();
    setGemmOpsEnabled(false);
    const xnnpack = product();
    setGemmOpsEnabled(true);
    const compiled = product();
    try {
      expect(differingBits(compiled.dataSync(), xnnpack.dataSync())).toBe(0);
      expect(await wasmVersusCpu(product)).toBeLessThan(1e-5);
    } finally {
      tf.dispose([xnnpack, compiled]);
    }
  });
});
