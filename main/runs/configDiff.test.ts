import { describe, expect, it } from 'vitest';
import { configDiff, flattenConfig } from './configDiff';

describe('configDiff', () => {
  it('lists only the keys that differ, with one value per run and null where a run lacks it', () => {
    const a = {
      family: 'dense-vae',
      config: { latentDim: 8, filters: [8, 16] },
      training: { steps: 60, seed: 1 },
    };
    const b = {
      family: 'dense-vae',
      config: { latentDim: 8, filters: [8, 32] },
      training: { steps: 40, seed: 1 },
    };
    const c = {
      family: 'dense-vae',
      config: { latentDim: 16, filters: [8, 16] },
      training: { steps: 60, seed: 1, warmup: 5 },
    };
    expect(configDiff([a, b, c])).toEqual([
      { key: 'config.filters', values: ['[8,16]', '[8,32]', '[8,16]'] },
      { key: 'config.latentDim', values: [8, 8, 16] },
      { key: 'training.steps', values: [60, 40, 60] },
      { key: 'training.warmup', values: [null, null, 5] },
    ]);
  });

  it('is empty for identical configs', () => {
    const config = { family: 'dcgan', config: { imageSize: 28 } };
    expect(configDiff([config, structuredClone(config)])).toEqual([]);
  });

  it('flattens nested objects to dotted keys and keeps scalars as they are', () => {
    expect([...flattenConfig({ a: { b: { c: true } }, d: 'x', e: null })]).toEqual([
      ['a.b.c', true],
      ['d', 'x'],
      ['e', null],
    ]);
  });
});
