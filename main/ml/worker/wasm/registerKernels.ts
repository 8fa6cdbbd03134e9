// Puts the studio's training kernels into tfjs's registry for the wasm backend, over the stock ones
// where those exist (each override keeps the stock kernel as its fallback for the cases it does
// not handle, and keeps its setup function, which binds the compiled entry points).
//
// Safe to call more than once and before or after the backend is initialised: the kernels bind
// to the backend object they are called with, not at registration.

import * as tf from '@tensorflow/tfjs';
import { adamUpdateKernel, globalNormKernel } from './adamUpdate';
import {
  attentionInputGradKernel,
  attentionScoresGradKernel,
  attentionScoresKernel,
  attentionValuesKernel,
} from './attention';
import { batchMatMulKernel, fusedMatMulKernel } from './batchMatMul';
import { addKernel, multiplyKernel, squareKernel, subKernel } from './broadcast';
import { conv2dBackpropFilterKernel } from './conv2dBackpropFilter';
import { conv2dBackpropInputKernel } from './conv2dBackpropInput';
import { conv2dKernel } from './conv2dColumns';
import { gatherV2Kernel } from './gather';
import { geluGradKernel, geluKernel } from './gelu';
import { castKernel, identityKernel } from './identity';
import { layerNormGradKernel, layerNormKernel } from './layerNorm';
import { meanKernel, sumKernel } from './leadingReduce';
import { installLeakyReluGradient, leakyReluGradKernel, leakyReluKernel } from './leakyRelu';
import { lstmSequenceGradKernel, lstmSequenceKernel } from './lstmCell';
import { sliceKernel, splitVKernel, unpackKernel } from './slicing';
import { softmaxGradKernel } from './softmaxGrad';
import { tanhKernel } from './tanh';
import { tileKernel } from './tile';
import { transposeKernel } from './transpose';
import { unsortedSegmentSumKernel } from './unsortedSegmentSum';

type Override = (stock: tf.KernelConfig) => tf.KernelConfig;

/** Kernels that wrap a stock one (it must be registered: the wasm package registers it on load). */
const OVERRIDES: readonly (readonly [string, Override])[] = [
  ['BatchMatMul', batchMatMulKernel],
  ['_FusedMatMul', fusedMatMulKernel],
  ['Tile', tileKernel],
  ['Sum', sumKernel],
  ['Mean', meanKernel],
  ['Identity', identityKernel],
  ['Cast', castKernel],
  ['LeakyRelu', leakyReluKernel],
  ['Transpose', transposeKernel],
  ['Slice', sliceKernel],
  ['SplitV', splitVKernel],
  ['Unpack', unpackKernel],
  ['GatherV2', gatherV2Kernel],
  ['Tanh', tanhKernel],
  ['Add', addKernel],
  ['Sub', subKernel],
  ['Multiply', multiplyKernel],
  ['Square', squareKernel],
  ['Conv2D', conv2dKernel],
];

/** Kernels that stand alone (the stock one is missing, or never the better choice). */
const STANDALONE: readonly (() => tf.KernelConfig)[] = [
  conv2dBackpropFilterKernel,
  conv2dBackpropInputKernel,
  unsortedSegmentSumKernel,
  leakyReluGradKernel,
  adamUpdateKernel,
  globalNormKernel,
  lstmSequenceKernel,
  lstmSequenceGradKernel,
  geluKernel,
  geluGradKernel,
  layerNormKernel,
  layerNormGradKernel,
  softmaxGradKernel,
  attentionScoresKernel,
  attentionValuesKernel,
  attentionScoresGradKernel,
  attentionInputGradKernel,
];

const ours = new WeakSet<tf.KernelFunc>();

/** Each studio kernel and the stock one it replaced (none for a standalone kernel), by name. */
const installed = new Map<string, { ours: tf.KernelConfig; stock?: tf.KernelConfig }>();

function install(config: tf.KernelConfig): void {
  ours.add(config.kernelFunc);
  if (tf.getKernel(config.kernelName, 'wasm') !== undefined) {
    tf.unregisterKernel(config.kernelName, 'wasm');
  }
  tf.registerKernel(config);
}

function isOurs(name: string): boolean {
  const current = tf.getKernel(name, 'wasm');
  return current !== undefined && ours.has(current.kernelFunc);
}

/**
 * Registers the studio's wasm training kernels and returns their names; also routes LeakyReLU's
 * gradient through StudioLeakyReluGrad while wasm is the active backend (leakyRelu.ts). Needs
 * @tensorflow/tfjs-backend-wasm loaded (its stock kernels are the fallbacks).
 */
export function registerStudioWasmKernels(): string[] {
  const names: string[] = [];
  for (const [name, override] of OVERRIDES) {
    if (!isOurs(name)) {
      const stock = tf.getKernel(name, 'wasm');
      if (stock === undefined) {
        throw new Error(`The wasm backend has no ${name} kernel to build on; is it loaded?`);
      }
      const config = override(stock);
      install(config);
      installed.set(name, { ours: config, stock });
    }
    names.push(name);
  }
  for (const make of STANDALONE) {
    const config = make();
    if (!isOurs(config.kernelName)) {
      install(config);
      installed.set(config.kernelName, { ours: config });
    }
    names.push(config.kernelName);
  }
  installLeakyReluGradient();
  return names;
}

/**
 * Swaps the named studio kernels out (back to the stock kernel, or none for a standalone one,
 * whose callers then take their op-by-op path) or back in: for A/B timing (scripts/ab-train.ts)
 * and for tests that compare a model with and without a kernel. Call after registering.
 */
export function setStudioKernelsEnabled(names: readonly string[], on: boolean): void {
  for (const name of names) {
    const entry = installed.get(name);
    if (entry === undefined) {
      throw new Error(
        `${name} is not a registered studio wasm kernel; known: ${[...installed.keys()].join(', ')}`,
      );
    }
    if (tf.getKernel(name, 'wasm') !== undefined) tf.unregisterKernel(name, 'wasm');
    const config = on ? entry.ours : entry.stock;
    if (config !== undefined) tf.registerKernel(config);
  }
}
