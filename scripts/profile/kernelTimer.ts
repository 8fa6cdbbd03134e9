// Times every kernel registered for the wasm backend by re-registering each with its kernelFunc
// wrapped in a clock (script-only: the studio's registry is not touched outside this process).
// tfjs's own tf.profile() would time kernels too, but it makes every step async and, where the
// backend reports no timer, reads each output back; wrapping keeps the step as the studio runs it.
//
// Only the outermost kernel is counted: a kernel that runs others inside it (through the engine)
// owns their time, so the total is not counted twice. Conv2DBackpropInput/Filter calls are also
// labelled with the path the studio's kernel takes for their shapes (main/ml/worker/wasm/).

import * as tf from '@tensorflow/tfjs';
import { MAX_CHANNELS_FOR_COLUMNS } from '../../main/ml/worker/wasm/conv2dBackpropFilter';
import { MIN_CHANNELS_FOR_PHASES } from '../../main/ml/worker/wasm/conv2dBackpropInput';
import { im2colFits } from '../../main/ml/worker/wasm/conv2dIm2col';
import { convGeometry } from '../../main/ml/worker/wasm/convGeometry';

export interface KernelStat {
  name: string;
  count: number;
  ms: number;
  /** CPU time of the whole process (all threads) meanwhile: cpuMs / ms ≈ threads kept busy. */
  cpuMs: number;
}

export interface KernelTimer {
  /** Clears the figures (e.g. after warm-up). */
  reset(): void;
  stats(): KernelStat[];
  /** Conv calls by kernel and path: "Conv2DBackpropInput: studio, phases → XNNPACK conv" → count. */
  convPaths(): Map<string, number>;
}

/** Whether every sub-pixel phase's stride-1 convolution has non-negative pads (as the kernel). */
function phasePadsFit(size: number, outSize: number, filter: number, stride: number, pad: number) {
  for (let start = 0; start < stride; start++) {
    const q = start + pad;
    const firstTap = ((q % stride) + stride) % stride;
    const base = (q - firstTap) / stride;
    const taps = firstTap < filter ? Math.ceil((filter - firstTap) / stride) : 0;
    const count = start < size ? Math.ceil((size - start) / stride) : 0;
    const padBefore = taps - 1 - base;
    const padAfter = count - outSize - padBefore + taps - 1;
    if (taps !== 0 && count !== 0 && (padBefore < 0 || padAfter < 0)) return false;
  }
  return true;
}

function convPath(
  name: string,
  studio: ReadonlySet<string>,
  inputs: tf.NamedTensorInfoMap,
  attrs: tf.NamedAttrMap | undefined,
): string | null {
  if (name === 'Conv2D' && studio.has(name) && attrs !== undefined && inputs.x && inputs.filter) {
    // conv2dColumns.ts: few input channels go im2colᵀ + compiled GEMM, the rest to the stock kernel.
    const g = convGeometry(inputs.x.shape, inputs.filter.shape, attrs);
    const positions = g.batch * g.outHeight * g.outWidth;
    if (g.inChannels <= MAX_CHANNELS_FOR_COLUMNS) {
      return positions % 4 === 0 && g.outChannels % 8 === 0
        ? `${name}: studio, im2colᵀ GEMM (compiled f32x4) (Cin ${g.inChannels})`
        : `${name}: stock wasm (XNNPACK) (Cin ${g.inChannels})`;
    }
    return im2colFits(g)
      ? `${name}: studio, compiled im2col + GEMM (Cin ${g.inChannels})`
      : `${name}: stock wasm (XNNPACK) (Cin ${g.inChannels})`;
  }
  if (name === 'Conv2D' || name === 'FusedConv2D' || name === 'DepthwiseConv2dNative') {
    return studio.has(name) ? `${name}: studio kernel` : `${name}: stock wasm (XNNPACK)`;
  }
  if (name !== 'Conv2DBackpropInput' && name !== 'Conv2DBackpropFilter') return null;
  if (!studio.has(name)) return `${name}: stock wasm`;
  if (attrs === undefined) return `${name}: studio, no attributes`;
  try {
    if (name === 'Conv2DBackpropInput') {
      const filter = inputs.filter;
      if (filter === undefined) return `${name}: studio`;
      const g = convGeometry(attrs.inputShape as number[], filter.shape, attrs);
      const fit =
        phasePadsFit(g.inHeight, g.outHeight, g.filterHeight, g.strideHeight, g.padTop) &&
        phasePadsFit(g.inWidth, g.outWidth, g.filterWidth, g.strideWidth, g.padLeft);
      // Each phase a stride-1 convolution of dy (Cout channels in, Cin out) over about H/s × W/s.
      const phase = {
        ...g,
        inChannels: g.outChannels,
        outChannels: g.inChannels,
        outHeight: Math.ceil(g.inHeight / g.strideHeight),
        outWidth: Math.ceil(g.inWidth / g.strideWidth),
      };
      return g.inChannels >= MIN_CHANNELS_FOR_PHASES && fit
        ? `${name}: studio, sub-pixel phases → ${im2colFits(phase) ? 'compiled im2col + GEMM' : 'XNNPACK conv'} (Cin ${g.inChannels})`
        : `${name}: studio, im2col GEMM (${(g.batch * g.outHeight * g.outWidth) % 4 === 0 && (g.filterHeight * g.filterWidth * g.inChannels) % 8 === 0 ? 'compiled f32x4' : 'XNNPACK'}) + col2im scatter (Cin ${g.inChannels})`;
    }
    const x = inputs.x;
    if (x === undefined) return `${name}: studio`;
    const g = convGeometry(x.shape, attrs.filterShape as number[], attrs);
    const tiles =
      (g.filterHeight * g.filterWidth * g.inChannels) % 4 === 0 && g.outChannels % 8 === 0;
    if (g.inChannels <= MAX_CHANNELS_FOR_COLUMNS) {
      return `${name}: studio, im2colᵀ GEMM (${tiles ? 'compiled f32x4' : 'XNNPACK'}) (Cin ${g.inChannels})`;
    }
    return im2colFits(g)
      ? `${name}: studio, compiled im2col + GEMM (Cin ${g.inChannels})`
      : `${name}: studio, dilated XNNPACK conv (Cin ${g.inChannels})`;
  } catch (error) {
    return `${name}: studio, geometry unreadable (${error instanceof Error ? error.message : String(error)})`;
  }
}

/**
 * Wraps every kernel registered for 'wasm' now. `studioKernels`: the names the studio registered
 * (resolveBackend's report), to tell its kernels from tfjs's. Call after the backend is ready.
 */
export function installKernelTimer(studioKernels: readonly string[]): KernelTimer {
  const studio = new Set(studioKernels);
  const totals = new Map<string, KernelStat>();
  const paths = new Map<string, number>();
  let depth = 0;
  const byShape = process.env.PROFILE_SHAPES === '1';
  for (const config of tf.getKernelsForBackend('wasm')) {
    const original = config.kernelFunc;
    const name = config.kernelName;
    const timed: tf.KernelFunc = (params) => {
      if (depth > 0) return original(params);
      const path = convPath(name, studio, params.inputs, params.attrs);
      if (path !== null) paths.set(path, (paths.get(path) ?? 0) + 1);
      depth++;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      try {
        return original(params);
      } finally {
        const ms = performance.now() - start;
        const cpu = process.cpuUsage(cpuStart);
        depth--;
        // PROFILE_SHAPES=1: one row per kernel and input shapes, to tell a kernel's calls apart.
        const key = byShape
          ? `${name} ${Object.values(params.inputs)
              .map((t) => `[${(t?.shape ?? []).join(',')}]`)
              .join(' ')}`
          : name;
        const entry = totals.get(key) ?? { name: key, count: 0, ms: 0, cpuMs: 0 };
        entry.count++;
        entry.ms += ms;
        entry.cpuMs += (cpu.user + cpu.system) / 1000;
        totals.set(key, entry);
      }
    };
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: timed });
  }
  return {
    reset: () => {
      totals.clear();
      paths.clear();
    },
    stats: () => [...totals.values()].sort((a, b) => b.ms - a.ms),
    convPaths: () => new Map(paths),
  };
}
