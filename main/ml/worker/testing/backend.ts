// Picks the backend a model test runs on: wasm (what the studio uses without native TensorFlow)
// when it has every kernel the model's training needs, else the pure-JS cpu backend. Conv models
// need Conv2DBackpropFilter, which stock tfjs-backend-wasm lacks until the studio's own kernels
// are registered (main/ml/wasm); once they are, these tests move to wasm by themselves.

import * as tf from '@tensorflow/tfjs';
import { resolveBackend } from '../backend';

const KERNELS_FOR = {
  dense: [] as string[],
  conv: ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D'],
};

export async function useTestBackend(needs: keyof typeof KERNELS_FOR): Promise<string> {
  const report = await resolveBackend({ preferBackend: 'wasm' });
  const missing = KERNELS_FOR[needs].filter(
    (name) => tf.getKernel(name, report.active) === undefined,
  );
  if (missing.length > 0) await tf.setBackend('cpu');
  return tf.getBackend();
}
