import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../main/ml/worker/models/registry';
import type { ConvVae } from '../../main/ml/worker/models/convVae';
import { referenceConfig } from '../../main/ml/worker/models/reference';
import { useTestBackend } from '../../main/ml/worker/testing/backend';
import { pythonWithTorch } from './twin';
import { assignWeights, twinVaeInitialWeights } from './twinInit';

const twinScript = path.resolve(import.meta.dirname, '../../../shared/bench/quality_ref.py');
const python = pythonWithTorch();

// The twin's own forward pass at its initial weights, on inputs drawn in torch.
const FORWARD = `
import sys, json, torch
sys.path.insert(0, sys.argv[1])
import quality_ref as q
torch.manual_seed(0)
m = q.ConvVAE().eval()
g = torch.Generator().manual_seed(1)
x = torch.rand(3, 1, 28, 28, generator=g)
z = torch.randn(3, 16, generator=g)
with torch.no_grad():
    h = torch.relu(m.e2(torch.relu(m.e1(x))))
    mu = m.e_fc(h.flatten(1))[:, :16]
    out = m.decode(z)
print(json.dumps({k: v.reshape(-1).tolist() for k, v in dict(x=x, z=z, mu=mu, out=out).items()}))
`;

describe.skipIf(python === null)('the twin VAE’s initial weights (skipped without torch)', () => {
  beforeAll(async () => {
    await useTestBackend('conv');
  });

  it('make the studio’s conv VAE compute what the twin computes', () => {
    const run = spawnSync(python as string, ['-c', FORWARD, path.dirname(twinScript)], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    expect(run.stderr).toBe('');
    const twin = JSON.parse(run.stdout) as Record<'x' | 'z' | 'mu' | 'out', number[]>;
    const { family, config } = referenceConfig('vae');
    const model = buildModel({ family, config } as never, 1) as ConvVae;
    try {
      assignWeights(model.checkpointTensors(), twinVaeInitialWeights(python as string, twinScript));
      // One channel: NCHW and NHWC hold the same numbers in the same order.
      const [mu, out] = tf.tidy(() => [
        model.encode(tf.tensor4d(twin.x, [3, 28, 28, 1])).dataSync(),
        model.generate(tf.tensor2d(twin.z, [3, 16])).dataSync(),
      ]);
      expect(mu).toHaveLength(twin.mu.length);
      expect(out).toHaveLength(twin.out.length);
      twin.mu.forEach((v, i) => expect(mu?.[i]).toBeCloseTo(v, 4));
      twin.out.forEach((v, i) => expect(out?.[i]).toBeCloseTo(v, 4));
    } finally {
      model.dispose();
    }
  });
});
