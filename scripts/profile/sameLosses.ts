// Whether a compiled heap module changes a reference model's training: the same seeded steps with
// the module on and off, losses printed side by side and compared to the bit (issue 14).
//   node scripts/profile/sameLosses.mjs dcgan gemm|strided|attention|broadcast|helpers [steps] [threads]
// (attention: the attention kernels of wasm/attention.ts, whose callers then run op by op;
// broadcast: the compiled rows of wasm/broadcastSimd.ts (Add/Sub/Multiply/Square/LeakyRelu), off
// for the stock kernels and XNNPACK's PReLU;
// helpers: the helper-thread team of wasm/team.ts, off so every batch stays on the caller)
import * as tf from '@tensorflow/tfjs';
import { nodeBackendEnvironment, resolveBackend } from '../../main/ml/worker/backend';
import { referenceConfig, type ReferenceName } from '../../main/ml/worker/models/reference';
import { buildModel } from '../../main/ml/worker/models/registry';
import type { ImageBatch, Metrics, TextBatch } from '../../main/ml/worker/models/model';
import { disposeBatch, randomBatch } from '../../main/ml/worker/training/estimate';
import { setBroadcastOpsEnabled } from '../../main/ml/worker/wasm/broadcastSimd';
import { setGemmOpsEnabled } from '../../main/ml/worker/wasm/gemmSimd';
import {
  ATTENTION_INPUT_GRAD,
  ATTENTION_SCORES,
  ATTENTION_SCORES_GRAD,
  ATTENTION_VALUES,
} from '../../main/ml/worker/wasm/attention';
import {
  registerStudioWasmKernels,
  setStudioKernelsEnabled,
} from '../../main/ml/worker/wasm/registerKernels';
import { setStridedOpsEnabled } from '../../main/ml/worker/wasm/stridedCopy';
import { setTeamHelpersEnabled } from '../../main/ml/worker/wasm/team';

const ATTENTION = [ATTENTION_SCORES, ATTENTION_VALUES, ATTENTION_SCORES_GRAD, ATTENTION_INPUT_GRAD];

const SWITCHES = {
  gemm: setGemmOpsEnabled,
  strided: setStridedOpsEnabled,
  attention: (on: boolean) => setStudioKernelsEnabled(ATTENTION, on),
  broadcast: setBroadcastOpsEnabled,
  helpers: setTeamHelpersEnabled,
} as const;

export async function main(argv: string[]): Promise<number> {
  const [name = 'dcgan', module = 'gemm', stepsArg = '5', threads] = argv;
  if (threads !== undefined) process.env.STUDIO_WASM_THREADS = threads;
  await resolveBackend({ environment: nodeBackendEnvironment(), preferBackend: 'wasm' });
  registerStudioWasmKernels();
  const set = SWITCHES[module as keyof typeof SWITCHES];
  if (set === undefined) throw new Error(`module: ${Object.keys(SWITCHES).join(', ')}`);
  const run = (on: boolean): Metrics[] => {
    set(on);
    const model = buildModel(referenceConfig(name as ReferenceName), 1);
    const out: Metrics[] = [];
    for (let i = 0; i < Number(stepsArg); i++) {
      const batch = randomBatch(model, i + 1) as ImageBatch;
      out.push(
        model.kind === 'image'
          ? model.trainStep(batch, { seed: i + 1 })
          : model.trainStep(batch as unknown as TextBatch, { seed: i + 1 }),
      );
      disposeBatch(batch);
    }
    model.dispose();
    set(true);
    return out;
  };
  const on = run(true);
  const off = run(false);
  let same = true;
  on.forEach((m, i) => {
    const o = off[i] as Metrics;
    for (const key of Object.keys(m)) if (m[key] !== o[key]) same = false;
    console.log(`step ${i}: on ${JSON.stringify(m)}\n        off ${JSON.stringify(o)}`);
  });
  console.log(same ? 'identical' : 'DIFFERENT');
  console.log(`tensors ${tf.memory().numTensors}`);
  return same ? 0 : 1;
}
