import { describe, expect, it } from 'vitest';
import { StudioFailure } from '../core/failure';
import { configFromPreset, DEFAULT_PRESET_ID, findModelPreset, MODEL_PRESETS } from './presets';

function preset(id: string) {
  const found = findModelPreset(id);
  if (found === undefined) throw new Error(`missing preset ${id}`);
  return found;
}

describe('model presets', () => {
  it('offers a tiny preset for tests and a small default, in the contract shape only', () => {
    expect(MODEL_PRESETS.map((p) => p.id)).toEqual(
      expect.arrayContaining(['vae-tiny', 'vae-small']),
    );
    expect(DEFAULT_PRESET_ID).toBe('vae-small');
    for (const p of MODEL_PRESETS) {
      expect(Object.keys(p).sort()).toEqual(
        [
          'batchSize',
          'description',
          'family',
          'id',
          'imageSize',
          'label',
          'sampleEvery',
          'steps',
        ].sort(),
      );
    }
    expect(preset('vae-tiny')).toMatchObject({
      imageSize: 28,
      steps: 60,
      batchSize: 32,
      sampleEvery: 20,
    });
    expect(preset('vae-small')).toMatchObject({ imageSize: 28, batchSize: 64 });
  });

  it('resolves a preset and the dataset channels into a full config', () => {
    expect(configFromPreset(preset('vae-small'), 3)).toEqual({
      imageSize: 28,
      channels: 3,
      latentDim: 16,
      hiddenUnits: 256,
      batchSize: 64,
      steps: preset('vae-small').steps,
      learningRate: 1e-3,
      beta: 1,
      seed: 1,
    });
    expect(configFromPreset(preset('vae-tiny'), 1, 7, 42)).toMatchObject({ steps: 7, seed: 42 });
  });

  it('rejects what a person could get wrong, with a reason', () => {
    const small = preset('vae-small');
    expect(() => configFromPreset(small, 1, 0)).toThrow(/Steps must be a whole number/);
    expect(() => configFromPreset(small, 1, 2.5)).toThrow(StudioFailure);
    expect(() => configFromPreset(small, 5)).toThrow(/1 to 4 channels/);
    try {
      configFromPreset({ ...small, id: 'vae-huge' }, 1);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StudioFailure);
      expect((error as StudioFailure).code).toBe('not-found');
    }
  });
});
