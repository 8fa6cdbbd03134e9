import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  differingBits,
  relativeError,
  seededValues,
  wasmVersusCpu,
  wasmWithStudioKernels,
  withProductsFused,
} from '../testing/kernels';
import { setIm2colChunkBytes } from './conv2dIm2col';
import { setGemmOpsEnabled } from './gemmSimd';
import { setStridedOpsEnabled } from './stridedCopy';

type Pad = 'same' | 'valid' | [[0, 0], [number, number], [number, number], [0, 0]];

interface Case {
  batch: number;
  height: number;
  width: number;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  pad: Pad;
}

/** Output size of the forward convolution, by tfjs's rules. */
function forwardShape(c: Case): [number, number, number, number] {
  const info = tf.backend_util.computeConv2DInfo(
    [c.batch, c.height, c.width, c.inChannels],
    [c.kernel, c.kernel, c.inChannels, c.outChannels],
    c.stride,
    1,
    c.pad,
  );
  return info.outShape;
}

function label(c: Case): string {
  const pad = typeof c.pad === 'string' ? c.pad : JSON.stringify(c.pad.slice(1, 3));
  return `x[${c.batch},${c.height},${c.width},${c.inChannels}] k${c.kernel} s${c.stride} ${pad} →${c.outChannels}`;
}

// Strides 1 and 2; same, valid and explicit padding; kernels 1, 3, 4, 5; 1, 3, 8 and 16+ channels
// on either side; odd and even sizes (an odd size with stride 2 leaves a row no output reads).
const CASES: Case[] = [];
const explicit: Pad = [
  [0, 0],
  [1, 2],
  [2, 0],
  [0, 0],
];
for (const stride of [1, 2]) {
  for (const kernel of [1, 3, 4, 5]) {
    for (const pad of ['same', 'valid', explicit] as Pad[]) {
      for (const [inChannels, outChannels] of [
        [1, 8],
        [3, 16],
        [8, 3],
        [16, 1],
        [12, 20],
      ] as const) {
        const odd = (kernel + inChannels) % 2 === 1;
        CASES.push({
          batch: 1 + ((kernel + stride) % 3),
          height: odd ? 9 : 8,
          width: odd ? 7 : 10,
          inChannels,
          outChannels,
          kernel,
          stride,
          pad,
        });
      }
    }
  }
}
// The reference models' own layers: k4 s2 'same' between 28×28×1, 14×14×32 and 7×7×64.
CASES.push(
  {
    batch: 4,
    height: 28,
    width: 28,
    inChannels: 1,
    outChannels: 32,
    kernel: 4,
    stride: 2,
    pad: 'same',
  },
  {
    batch: 4,
    height: 14,
    width: 14,
    inChannels: 32,
    outChannels: 64,
    kernel: 4,
    stride: 2,
    pad: 'same',
  },
);

/**
 * Runs `values` with the compiled product on and unfused, then with it off (XNNPACK's path), and
 * counts the values whose bits differ (Object.is, so -0 against 0 counts too); and runs it with
 * the product as set to fuse (fusedMultiplyAdd.ts), which may differ from XNNPACK's in the last
 * bits only: its relative error against XNNPACK's.
 */
async function compiledAgainstXnnpack(
  values: () => Promise<Float32Array>,
): Promise<{ compiled: Float32Array; differing: number; fusedError: number }> {
  const fused = await values();
  const compiled = await withProductsFused(false, values);
  setGemmOpsEnabled(false);
  let xnn: Float32Array;
  try {
    xnn = await values();
  } finally {
    setGemmOpsEnabled(true);
  }
  return {
    compiled,
    differing: differingBits(compiled, xnn),
    fusedError: relativeError(fused, xnn),
  };
}

function tensors(c: Case, seed: number) {
  const xShape: [number, number, number, number] = [c.batch, c.height, c.width, c.inChannels];
  const wShape: [number, number, number, number] = [
    c.kernel,
    c.kernel,
    c.inChannels,
    c.outChannels,
  ];
  const dyShape = forwardShape(c);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: () => tf.tensor4d(seededValues(size(xShape), seed), xShape),
    w: () => tf.tensor4d(seededValues(size(wShape), seed + 1), wShape),
    dy: () => tf.tensor4d(seededValues(size(dyShape), seed + 2), dyShape),
    xShape,
    wShape,
  };
}

type CaseTensors = ReturnType<typeof tensors>;

/** dW of case c for x and dy, by the registered Conv2DBackpropFilter kernel. */
function filterGradient(c: Case, t: CaseTensors, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  return tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', filterShape: t.wShape },
    ) as tf.Tensor;
}

/** dx of case c for dy and the filter w, by the registered Conv2DBackpropInput kernel. */
function inputGradient(c: Case, t: CaseTensors, dy: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf
    .engine()
    .runKernel(
      'Conv2DBackpropInput',
      { dy, filter: w },
      { strides: c.stride, pad: c.pad, dataFormat: 'NHWC', inputShape: t.xShape },
    ) as tf.Tensor;
}

describe('studio wasm convolution gradient kernels match the cpu backend', () => {
  beforeAll(wasmWithStudioKernels);

  it.each(CASES.map((c, i) => [label(c), c, i] as const))(
    'Conv2DBackpropFilter %s',
    async (_name, c, i) => {
      const t = tensors(c, 100 + i);
      const error = await wasmVersusCpu(() => filterGradient(c, t, t.x(), t.dy()));
      expect(error).toBeLessThan(1e-4);
    },
  );

  it.each(CASES.map((c, i) => [label(c), c, i] as const))(
    'Conv2DBackpropInput %s',
    async (_name, c, i) => {
      const t = tensors(c, 500 + i);
      const error = await wasmVersusCpu(() => inputGradient(c, t, t.dy(), t.w()));
      expect(error).toBeLessThan(1e-4);
    },
  );

  // The JS loops the kernels fall back to without the compiled strided copies (stridedCopy.ts):
  // phases, im2col and col2im with one and three channels, and the reference layers.
  const fallbackCases = CASES.filter(
    (c) => c.kernel === 4 && c.stride === 2 && (c.inChannels <= 3 || c.inChannels >= 16),
  );
  it.each(fallbackCases.map((c, i) => [label(c), c, i] as const))(
    'without the compiled copies: both gradients %s',
    async (_name, c, i) => {
      const t = tensors(c, 900 + i);
      setStridedOpsEnabled(false);
      try {
        const error = await wasmVersusCpu(() => [
          filterGradient(c, t, t.x(), t.dy()),
          inputGradient(c, t, t.dy(), t.w()),
        ]);
        expect(error).toBeLessThan(1e-4);
      } finally {
        setStridedOpsEnabled(true);
      }
    },
  );

  // Few input channels: dW = colsᵀ · dy through the compiled product, or XNNPACK where its 4×8
  // tiles do not fit. Both sum in the same order, so they agree to the bit, not just the cpu's 1e-4.
  const compiledCases: Case[] = [
    {
      batch: 3,
      height: 9,
      width: 7,
      inChannels: 1,
      outChannels: 8,
      kernel: 4,
      stride: 2,
      pad: 'same',
    },
    {
      batch: 2,
      height: 11,
      width: 6,
      inChannels: 3,
      outChannels: 24,
      kernel: 4,
      stride: 1,
      pad: 'valid',
    },
    {
      batch: 5,
      height: 7,
      width: 9,
      inChannels: 4,
      outChannels: 16,
      kernel: 2,
      stride: 2,
      pad: explicit,
    },
  ];
  it.each(compiledCases.map((c, i) => [label(c), c, i] as const))(
    'Conv2DBackpropFilter by the compiled product equals the XNNPACK one exactly (unfused) %s',
    async (_name, c, i) => {
      const t = tensors(c, 1300 + i);
      const dwValues = async (): Promise<Float32Array> => {
        const x = t.x();
        const dy = t.dy();
        const dw = filterGradient(c, t, x, dy);
        const values = (await dw.data()) as Float32Array;
        tf.dispose([x, dy, dw]);
        return values;
      };
      const { compiled, differing, fusedError } = await compiledAgainstXnnpack(dwValues);
      expect(differing).toBe(0);
      expect(fusedError).toBeLessThan(1e-5);
      expect(compiled.some((v) => v !== 0)).toBe(true);
    },
  );

  it.each(compiledCases.map((c, i) => [label(c), c, i] as const))(
    'Conv2D by im2colᵀ and the compiled product equals the XNNPACK one exactly (unfused), and cpu %s',
    async (_name, c, i) => {
      const t = tensors(c, 1400 + i);
      const forward = async (): Promise<Float32Array> => {
        const x = t.x();
        const w = t.w();
        const y = tf.conv2d(x, w, c.stride, c.pad);
        const values = (await y.data()) as Float32Array;
        tf.dispose([x, w, y]);
        return values;
      };
      const { compiled, differing, fusedError } = await compiledAgainstXnnpack(forward);
      expect(differing).toBe(0);
      expect(fusedError).toBeLessThan(1e-5);
      expect(compiled.some((v) => v !== 0)).toBe(true);
      expect(await wasmVersusCpu(() => tf.conv2d(t.x(), t.w(), c.stride, c.pad))).toBeLessThan(
        1e-5,
      );
    },
  );

  it.each(compiledCases.map((c, i) => [label(c), c, i] as const))(
    'Conv2DBackpropInput with few channels (im2col by the compiled product) equals XNNPACK exactly (unfused) %s',
    async (_name, c, i) => {
      const t = tensors(c, 1500 + i);
      const dxValues = async (): Promise<Float32Array> => {
        const dy = t.dy();
        const w = t.w();
        const dx = inputGradient(c, t, dy, w);
        const values = (await dx.data()) as Float32Array;
        tf.dispose([dy, w, dx]);
        return values;
      };
      const { compiled, differing, fusedError } = await compiledAgainstXnnpack(dxValues);
      expect(differing).toBe(0);
      expect(fusedError).toBeLessThan(1e-5);
      expect(compiled.some((v) => v !== 0)).toBe(true);
    },
  );

  // Many input channels (conv2dIm2col.ts): the compiled im2col and one product, forward, filter
  // gradient and the input gradient's phases, every stride, kernel and padding of CASES; and
  // unfused, the forward convolution and the phases are XNNPACK's sums (the same tap order).
  const im2colCases = CASES.filter((c) => c.inChannels === 1).map((c) => ({
    ...c,
    batch: 4, // so every product's rows fill the 4-row tiles
    inChannels: c.stride === 1 ? 8 : 16,
    outChannels: c.stride === 1 ? 24 : 8,
  }));
  it.each(im2colCases.map((c, i) => [label(c), c, i] as const))(
    'many channels by im2col: Conv2D and both gradients match the cpu, and unfused XNNPACK %s',
    async (_name, c, i) => {
      const t = tensors(c, 1700 + i);
      const all = (): tf.Tensor[] => [
        tf.conv2d(t.x(), t.w(), c.stride, c.pad),
        filterGradient(c, t, t.x(), t.dy()),
        inputGradient(c, t, t.dy(), t.w()),
      ];
      expect(await wasmVersusCpu(all)).toBeLessThan(1e-4);
      const forwardAndInput = async (): Promise<Float32Array> => {
        const [y, dw, dx] = all();
        const values = Float32Array.from([
          ...((await y?.data()) as Float32Array),
          ...((await dx?.data()) as Float32Array),
        ]);
        tf.dispose([y, dw, dx] as tf.Tensor[]);
        return values;
      };
      const { compiled, differing, fusedError } = await compiledAgainstXnnpack(forwardAndInput);
      expect(differing).toBe(0);
      expect(fusedError).toBeLessThan(1e-5);
      expect(compiled.some((v) => v !== 0)).toBe(true);
    },
  );

  it.each([
    ['7×7 positions an example (chunks of 4 examples, 8 in all)', 7],
    ['8×8 positions an example (chunks of 1 example, 9 in all)', 8],
  ])('im2col a chunk of examples at a time gives the same bits: %s', async (_name, size) => {
    const c: Case = {
      batch: size === 7 ? 8 : 9,
      height: 2 * size,
      width: 2 * size,
      inChannels: 8,
      outChannels: 16,
      kernel: 4,
      stride: 2,
      pad: 'same',
    };
    const t = tensors(c, 1900 + size);
    const run = async (): Promise<Float32Array[]> => {
      const [x, w, dy] = [t.x(), t.w(), t.dy()];
      const outputs = [tf.conv2d(x, w, c.stride, c.pad), filterGradient(c, t, x, dy)];
      const values = await Promise.all(outputs.map(async (o) => (await o.data()) as Float32Array));
      tf.dispose([x, w, dy, ...outputs]);
      return values;
    };
    const whole = await run();
    setIm2colChunkBytes(1); // as few examples as keep each chunk's rows a multiple of 4
    try {
      const chunked = await run();
      chunked.forEach((values, k) => expect(differingBits(values, whole[k] ?? [])).toBe(0));
    } finally {
      setIm2colChunkBytes(null);
    }
  });

  it('trains through conv2d and conv2dTranspose: the gradients tfjs asks for agree', async () => {
    const x = seededValues(2 * 14 * 14 * 8, 7);
    const w = seededValues(4 * 4 * 8 * 16, 8);
    const wt = seededValues(4 * 4 * 8 * 16, 9);
    const error = await wasmVersusCpu(() => {
      const input = tf.tensor4d(x, [2, 14, 14, 8]);
      const kernel = tf.tensor4d(w, [4, 4, 8, 16]);
      const kernelT = tf.tensor4d(wt, [4, 4, 8, 16]);
      const f = (a: tf.Tensor, k: tf.Tensor, kt: tf.Tensor) => {
        const down = tf.conv2d(a as tf.Tensor4D, k as tf.Tensor4D, 2, 'same'); // [2, 7, 7, 16]
        const up = tf.conv2dTranspose(down, kt as tf.Tensor4D, [2, 14, 14, 8], 2, 'same');
        return up.square().sum();
      };
      return tf.grads(f)([input, kernel, kernelT]);
    });
    expect(error).toBeLessThan(1e-4);
  });
});
