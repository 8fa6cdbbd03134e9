// A diagnostic for the VAE row (variant "twin-init"): the studio's conv VAE started from the very
// weights the twin starts from (quality_ref.py's ConvVAE after torch.manual_seed(0), as its run_vae
// builds it), so that what is left between the two figures is the rest of the loop (batch order,
// ε draws, kernels), not the initial draw: the protocol variant draws from the same distributions
// as PyTorch's layer defaults (init 'pytorch-default') but from the studio's own random numbers,
// and the preset from Glorot-uniform with zero biases. Not a figure of the preset.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { NamedVariable } from '../../main/ml/worker/models/model';

/** The twin's parameter → the studio's (main/ml/worker/models/convVae.ts), and how to lay it out. */
const VAE_NAMES: Record<string, string> = {
  'e1.weight': 'encoder.conv0.kernel',
  'e1.bias': 'encoder.conv0.bias',
  'e2.weight': 'encoder.conv1.kernel',
  'e2.bias': 'encoder.conv1.bias',
  'e_fc.weight': 'encoder.head.kernel',
  'e_fc.bias': 'encoder.head.bias',
  'd_fc.weight': 'decoder.dense.kernel',
  'd_fc.bias': 'decoder.dense.bias',
  'd1.weight': 'decoder.convT0.kernel',
  'd1.bias': 'decoder.convT0.bias',
  'd2.weight': 'decoder.convT1.kernel',
  'd2.bias': 'decoder.convT1.bias',
};

// torch lays out Conv2d weights [out, in, kh, kw] and ConvTranspose2d [in, out, kh, kw]; tfjs's
// conv2d filter is [kh, kw, in, out] and conv2dTranspose's [kh, kw, out, in]: the same permute.
// torch flattens a map as [C, H, W], the studio as [H, W, C], which the dense layers next to the
// flattening see in their input (encoder head) or output (decoder dense) index.
const LAYOUT = `
import sys, json, torch
sys.path.insert(0, sys.argv[1])
import quality_ref as q
torch.manual_seed(0)
m = q.ConvVAE()
sd = {k: v.detach() for k, v in m.state_dict().items()}
C, S = 64, 7
out = {}
for k, v in sd.items():
    if v.dim() == 4:
        v = v.permute(2, 3, 1, 0)
    elif k == 'e_fc.weight':
        v = v.reshape(-1, C, S, S).permute(2, 3, 1, 0).reshape(S * S * C, -1)
    elif k == 'd_fc.weight':
        v = v.reshape(C, S, S, -1).permute(1, 2, 0, 3).reshape(S * S * C, -1).t()
    elif k == 'd_fc.bias':
        v = v.reshape(C, S, S).permute(1, 2, 0).reshape(-1)
    out[k] = {'shape': list(v.shape), 'values': v.contiguous().reshape(-1).tolist()}
print(json.dumps(out))
`;

interface TwinTensor {
  shape: number[];
  values: number[];
}

/** The twin VAE's initial weights, in the studio's names and layouts. */
export function twinVaeInitialWeights(python: string, twinScript: string): Map<string, TwinTensor> {
  const run = spawnSync(python, ['-c', LAYOUT, path.dirname(twinScript)], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (run.status !== 0) throw new Error(`the twin's initial VAE weights: ${run.stderr.trim()}`);
  const byTwinName = JSON.parse(run.stdout) as Record<string, TwinTensor>;
  const out = new Map<string, TwinTensor>();
  for (const [twinName, tensor] of Object.entries(byTwinName)) {
    const name = VAE_NAMES[twinName];
    if (name === undefined) throw new Error(`the twin's VAE has a parameter ${twinName} unmapped`);
    out.set(name, tensor);
  }
  return out;
}

/** Puts `weights` into the model's variables of the same names; every one must be there. */
export function assignWeights(variables: NamedVariable[], weights: Map<string, TwinTensor>): void {
  for (const { name, variable } of variables) {
    // The optimiser's moment slots (adam.m.*, adam.v.*) start at zero on both sides.
    if (name.startsWith('adam.')) continue;
    const tensor = weights.get(name);
    if (tensor === undefined) throw new Error(`no twin weights for ${name}`);
    if (JSON.stringify(tensor.shape) !== JSON.stringify(variable.shape)) {
      throw new Error(
        `${name}: twin ${JSON.stringify(tensor.shape)}, studio ${JSON.stringify(variable.shape)}`,
      );
    }
    tf.tidy(() => variable.assign(tf.tensor(tensor.values, variable.shape)));
  }
}
