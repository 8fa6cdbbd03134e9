import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../testing/backend';
import { buildConvVae } from './convVae';
import { buildDcgan } from './dcgan';
import type { NamedVariable } from './model';

// 'pytorch-default' draws every weight and bias from U(±1/√fan_in), fan_in counted as PyTorch
// counts it: in·k·k for a convolution, out·k·k for a transposed one, the inputs of a dense layer.
// A layer whose bound came from the wrong fan-in (the transposed convolutions' in·k·k is 32×
// their out·k·k here) fails the "fills its range" check or the "stays inside" one.
beforeAll(async () => {
  await useTestBackend('conv');
});

const k = 4;
function expectUniformWithin(tensors: NamedVariable[], name: string, bound: number): void {
  const found = tensors.find((t) => t.name === name);
  if (!found) throw new Error(`no ${name}`);
  const values = [...(found.variable.dataSync() as Float32Array)];
  const largest = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  expect(largest, name).toBeLessThanOrEqual(bound);
  // Enough draws that the largest comes close to the bound (a bias of 1 is checked for ≠ 0).
  if (values.length >= 32) expect(largest, name).toBeGreaterThan(0.8 * bound);
  else expect(largest, name).toBeGreaterThan(0);
}

describe('the PyTorch-default initialisation (for runs beside the PyTorch twin)', () => {
  it('conv VAE: each layer from U(±1/√fan_in), biases too', () => {
    const vae = buildConvVae({ filters: [32, 64], latentDim: 16, init: 'pytorch-default' });
    const t = vae.checkpointTensors();
    for (const part of ['kernel', 'bias']) {
      expectUniformWithin(t, `encoder.conv0.${part}`, 1 / Math.sqrt(1 * k * k));
      expectUniformWithin(t, `encoder.conv1.${part}`, 1 / Math.sqrt(32 * k * k));
      expectUniformWithin(t, `encoder.head.${part}`, 1 / Math.sqrt(7 * 7 * 64));
      expectUniformWithin(t, `decoder.dense.${part}`, 1 / Math.sqrt(16));
      // Transposed: out·k·k.
      expectUniformWithin(t, `decoder.convT0.${part}`, 1 / Math.sqrt(32 * k * k));
      expectUniformWithin(t, `decoder.convT1.${part}`, 1 / Math.sqrt(1 * k * k));
    }
    vae.dispose();
  });

  it('DCGAN: G and D layers from U(±1/√fan_in); batch norm starts at γ 1, β 0', () => {
    const gan = buildDcgan({ init: 'pytorch-default' });
    const t = gan.checkpointTensors();
    expectUniformWithin(t, 'generator.dense.kernel', 1 / Math.sqrt(64));
    for (const part of ['kernel', 'bias']) {
      expectUniformWithin(t, `generator.convT0.${part}`, 1 / Math.sqrt(32 * k * k));
      expectUniformWithin(t, `generator.convT1.${part}`, 1 / Math.sqrt(1 * k * k));
      expectUniformWithin(t, `discriminator.conv0.${part}`, 1 / Math.sqrt(1 * k * k));
      expectUniformWithin(t, `discriminator.conv1.${part}`, 1 / Math.sqrt(32 * k * k));
      expectUniformWithin(t, `discriminator.head.${part}`, 1 / Math.sqrt(7 * 7 * 64));
    }
    const gamma = t.find((x) => x.name === 'generator.convT0.bn.gamma')?.variable.dataSync();
    expect([...(gamma ?? [])].every((v) => v === 1)).toBe(true);
    gan.dispose();
  });

  it('the default inits stay as they were: zero biases', () => {
    const vae = buildConvVae({ filters: [4, 8], imageSize: 8, latentDim: 2 });
    const gan = buildDcgan({
      imageSize: 8,
      generatorFilters: [8, 4],
      discriminatorFilters: [4, 8],
    });
    for (const model of [vae, gan]) {
      for (const { name, variable } of model.checkpointTensors()) {
        if (name.endsWith('.bias'))
          expect(
            [...variable.dataSync()].every((v) => v === 0),
            name,
          ).toBe(true);
      }
      model.dispose();
    }
  });
});
