// One char-GPT block's causal self-attention, forward and backward, at the reference chargpt's
// shapes ([32, 128] × 4 heads of 32), op by op and through the attention kernels
// (main/ml/worker/wasm/attention.ts): per kernel name, the best of 10 runs' milliseconds.
//   node scripts/profile/attnMicro.mjs [threads]
import * as tf from '@tensorflow/tfjs';
import { nodeBackendEnvironment, resolveBackend } from '../../main/ml/worker/backend';
import {
  attentionByOps,
  causalMask,
  causalSelfAttention,
} from '../../main/ml/worker/models/transformerOps';
import { registerStudioWasmKernels } from '../../main/ml/worker/wasm/registerKernels';
import { installKernelTimer } from './kernelTimer';

const RUNS = 10;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] !== undefined) process.env.STUDIO_WASM_THREADS = argv[0];
  await resolveBackend({ environment: nodeBackendEnvironment(), preferBackend: 'wasm' });
  const timer = installKernelTimer(registerStudioWasmKernels());
  const [b, t, heads, d] = [32, 128, 4, 32];
  const qkv = tf.randomNormal([b, t, 3 * heads * d], 0, 1, 'float32', 1) as tf.Tensor3D;
  const weights = tf.randomNormal([b, t, heads * d], 0, 1, 'float32', 2);
  const mask = causalMask(t);
  const run = (attention: typeof causalSelfAttention) =>
    tf.tidy(() => {
      const loss = (x: tf.Tensor) =>
        attention(x as tf.Tensor3D, heads, mask)
          .mul(weights)
          .sum();
      tf.grad(loss)(qkv).dataSync();
    });
  for (const [name, attention] of [
    ['op by op', attentionByOps],
    ['kernels', causalSelfAttention],
  ] as const) {
    run(attention); // warm-up: XNNPACK's operators and the compiled modules
    const best = new Map<string, number>();
    for (let r = 0; r < RUNS; r++) {
      timer.reset();
      run(attention);
      for (const s of timer.stats()) best.set(s.name, Math.min(best.get(s.name) ?? Infinity, s.ms));
    }
    const total = [...best.values()].reduce((a, v) => a + v, 0);
    const parts = [...best].map(([kernel, ms]) => `${kernel} ${ms.toFixed(2)}`).join(', ');
    console.log(`${name}: ${total.toFixed(1)} ms in kernels (${parts})`);
  }
  tf.dispose([qkv, weights, mask]);
  return 0;
}
