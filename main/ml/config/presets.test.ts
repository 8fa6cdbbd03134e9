import { describe, expect, it } from 'vitest';
import { StudioFailure } from '../../common/failure';
import {
  DEFAULT_PRESET_ID,
  findModelPreset,
  MODEL_PRESETS,
  runConfigFromPreset,
  storedRunConfig,
} from './presets';

function preset(id: string) {
  const found = findModelPreset(id);
  if (found === undefined) throw new Error(`missing preset ${id}`);
  return found;
}

describe('model presets', () => {
  it('offers tiny/small/large per family, the dense VAE first, in the contract shape only', () => {
    const ids = MODEL_PRESETS.map((p) => p.id);
    expect(ids.slice(0, 2)).toEqual(['vae-tiny', 'vae-small']);
    for (const family of ['conv-vae', 'dcgan', 'char-lstm', 'char-gru', 'char-gpt']) {
      expect(ids).toEqual(
        expect.arrayContaining([`${family}-tiny`, `${family}-small`, `${family}-large`]),
      );
    }
    expect(DEFAULT_PRESET_ID).toBe('vae-small');
    for (const p of MODEL_PRESETS) {
      expect(Object.keys(p).sort()).toEqual(
        [
          'batchSize',
          'contextLength',
          'description',
          'family',
          'id',
          'imageSize',
          'kind',
          'label',
          'params',
          'sampleEvery',
          'steps',
        ].sort(),
      );
      expect(p.params).toBeGreaterThan(0);
      expect(p.kind === 'image' ? p.imageSize : p.contextLength).toBeGreaterThan(0);
    }
    // vae-tiny and vae-small keep their meaning (the e2e selects vae-tiny).
    expect(preset('vae-tiny')).toMatchObject({
      family: 'dense-vae',
      kind: 'image',
      imageSize: 28,
      steps: 60,
      batchSize: 32,
      sampleEvery: 20,
    });
    expect(preset('vae-small')).toMatchObject({ imageSize: 28, batchSize: 64 });
    // The small presets are the reference shapes.
    expect(preset('dcgan-small').params).toBe(276_866);
    expect(preset('conv-vae-small').params).toBe(220_385);
    expect(preset('char-lstm-small').params).toBe(360_544);
    expect(preset('char-gpt-small').params).toBe(834_304);
  });

  it('resolves the dense VAE with the loop’s steps and seed', () => {
    const small = runConfigFromPreset('vae-small', { kind: 'image', channels: 3 });
    expect(small.config).toEqual({
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
    expect(small.training).toMatchObject({ steps: preset('vae-small').steps, seed: 1 });
    const tiny = { kind: 'image', channels: 1 } as const;
    expect(runConfigFromPreset('vae-tiny', tiny, { steps: 7, seed: 42 }).training).toMatchObject({
      steps: 7,
      seed: 42,
    });
  });

  it('resolves every family for its data: channels, size and classes, or the vocabulary', () => {
    expect(
      runConfigFromPreset(
        'dcgan-small',
        { kind: 'image', channels: 3, imageSize: 32, classCount: 10 },
        { steps: 5, seed: 9 },
      ),
    ).toMatchObject({
      family: 'dcgan',
      config: { imageSize: 32, channels: 3, classCount: 10, latentDim: 64, beta1: 0.5 },
      training: { steps: 5, seed: 9, sampleEvery: 200, checkpointEvery: 500 },
    });
    expect(runConfigFromPreset('char-gpt-tiny', { kind: 'text', vocabSize: 40 })).toMatchObject({
      family: 'char-gpt',
      config: { vocabSize: 40, contextLength: 32 },
      training: { steps: 100, validateEvery: 50 },
    });
    expect(
      runConfigFromPreset('char-gru-small', { kind: 'text', vocabSize: 65 }).config,
    ).toMatchObject({ cell: 'gru' });
  });

  it('rejects what a person could get wrong, with a reason', () => {
    const grey = { kind: 'image', channels: 1 } as const;
    expect(() => runConfigFromPreset('vae-small', grey, { steps: 0 })).toThrow(
      /Steps must be a whole number/,
    );
    expect(() => runConfigFromPreset('vae-small', grey, { steps: 2.5 })).toThrow(StudioFailure);
    expect(() => runConfigFromPreset('vae-small', { kind: 'image', channels: 5 })).toThrow(
      /1 to 4 channels/,
    );
    expect(() => runConfigFromPreset('char-gpt-small', { kind: 'image', channels: 1 })).toThrow(
      /trains on text data/,
    );
    expect(() =>
      runConfigFromPreset('conv-vae-large', { kind: 'image', channels: 1, imageSize: 28 }),
    ).toThrow(/divisible by 8/);
    try {
      runConfigFromPreset('vae-huge', grey);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(StudioFailure);
      expect((error as StudioFailure).code).toBe('not-found');
    }
  });

  it('reads a stored run config back as it was resolved, and refuses a damaged one', () => {
    const run = runConfigFromPreset('char-gpt-tiny', { kind: 'text', vocabSize: 40 });
    const stored = JSON.parse(JSON.stringify(run)) as unknown;
    expect(storedRunConfig(stored)).toEqual(run);
    expect(() => storedRunConfig({ ...run, family: 'gpt-9' })).toThrow(/no model family/);
    expect(() => storedRunConfig({ ...run, config: { ...run.config, heads: 3 } })).toThrow(
      /divisible by heads/,
    );
  });
});
