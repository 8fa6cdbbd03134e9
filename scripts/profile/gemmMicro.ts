// One dense-layer product c [m, n] = a [m, k] · b [k, n] through XNNPACK's fully-connected operator
// and through the compiled product in tiles (main/ml/worker/wasm/gemmThreads.ts), alternated, at
// the reference models' shapes: per shape the median milliseconds and GFLOP/s of each, and their
// ratio. Each call gets a fresh b, as in training (a gradient, or a weight just updated), so
// XNNPACK packs b every call as it does there.
//   node scripts/profile/gemmMicro.mjs [threads] ['[[m,k,n],…]']
import * as tf from '@tensorflow/tfjs';
import { nodeBackendEnvironment, resolveBackend } from '../../main/ml/worker/backend';
import { gemmOps } from '../../main/ml/worker/wasm/gemmSimd';
import { gemmTiled } from '../../main/ml/worker/wasm/gemmThreads';
import {
  allocF32,
  dispose,
  f32Offset,
  idOf,
  wasmBackendOf,
} from '../../main/ml/worker/wasm/wasmHeap';
import { matMulRows } from '../../main/ml/worker/wasm/xnnOps';

/** chargpt's and charlstm's forward and gradient products, and dcgan's dense layer. */
const SHAPES: [number, number, number][] = [
  [4096, 128, 384],
  [4096, 128, 512],
  [4096, 512, 128],
  [512, 4096, 128],
  [128, 4096, 512],
  [1024, 4096, 256],
  [256, 4096, 1024],
  [4096, 1024, 64],
  [64, 3136, 64],
];
const ROUNDS = 8; // the first two warm up
const CALLS = 5;

const median = (values: number[]): number =>
  [...values].sort((x, y) => x - y)[values.length >> 1] ?? NaN;

export async function main(argv: string[]): Promise<number> {
  if (argv[0] !== undefined) process.env.STUDIO_WASM_THREADS = argv[0];
  const shapes = argv[1] === undefined ? SHAPES : (JSON.parse(argv[1]) as typeof SHAPES);
  const report = await resolveBackend({
    environment: nodeBackendEnvironment(),
    preferBackend: 'wasm',
  });
  const backend = wasmBackendOf(tf.backend());
  const ops = gemmOps(backend);
  if (ops === null) throw new Error('the compiled product cannot run here');
  console.log(`wasm, ${report.threads ?? 1} thread(s); ${ROUNDS - 2} rounds of ${CALLS} calls`);
  for (const [m, k, n] of shapes) {
    const a = tf.randomNormal([m, k]);
    const bs = Array.from({ length: CALLS }, () => tf.randomNormal([k, n]));
    const out = allocF32(backend, [m, n]);
    const times = { xnnpack: [] as number[], compiled: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of ['xnnpack', 'compiled'] as const) {
        const fresh = bs.map((b) => tf.add(b, 0)); // new tensor ids: nothing packed before
        const started = performance.now();
        for (const b of fresh) {
          if (kind === 'xnnpack') {
            matMulRows(backend, idOf(backend, a), m, k, idOf(backend, b), n, idOf(backend, out));
          } else {
            gemmTiled(backend, ops, {
              a: f32Offset(backend, a) * 4,
              b: f32Offset(backend, b) * 4,
              out: f32Offset(backend, out) * 4,
              m,
              k,
              n,
            });
          }
        }
        const ms = (performance.now() - started) / CALLS;
        tf.dispose(fresh);
        if (round >= 2) times[kind].push(ms);
      }
    }
    const [x, c] = [median(times.xnnpack), median(times.compiled)];
    const gflops = (ms: number) => ((2 * m * k * n) / ms / 1e6).toFixed(1);
    console.log(
      `[${m}, ${k}] · [${k}, ${n}]: XNNPACK ${x.toFixed(2)} ms (${gflops(x)} GFLOP/s), ` +
        `compiled ${c.toFixed(2)} ms (${gflops(c)} GFLOP/s), compiled/XNNPACK ${(c / x).toFixed(2)}`,
    );
    tf.dispose([a, ...bs]);
    dispose(backend, out);
  }
  return 0;
}
