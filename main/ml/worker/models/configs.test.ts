import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../testing/backend';
import {
  parameterCount,
  resolveCharGptConfig,
  resolveDcganConfig,
  type FamilyConfig,
} from '../../config/configs';
import { REFERENCE_NAMES, referenceConfig } from './reference';
import { buildModel } from './registry';

describe('model configs', () => {
  it('fills defaults, rejects unknown keys and bad values, naming the field', () => {
    expect(resolveDcganConfig({})).toMatchObject({
      learningRate: 2e-4,
      beta1: 0.5,
      labelSmoothing: 0.1,
    });
    expect(() => resolveDcganConfig({ learningrate: 1 })).toThrow(
      /DcganConfig has unknown keys: learningrate/,
    );
    expect(() => resolveDcganConfig({ latentDim: 2.5 })).toThrow(
      /DcganConfig.latentDim must be an integer/,
    );
    expect(() => resolveDcganConfig({ generatorFilters: [] })).toThrow(/generatorFilters/);
    expect(() => resolveCharGptConfig({ width: 30, heads: 4 })).toThrow(/divisible by heads/);
    expect(() => resolveCharGptConfig({ heads: '4' })).toThrow(/heads must be an integer/);
    expect(() => resolveCharGptConfig([])).toThrow(/must be an object/);
  });
});

describe('reference models (bench/REFERENCE_MODELS.md)', () => {
  beforeAll(async () => {
    // Building is enough here (no training step), so any backend will do.
    await useTestBackend('dense');
  });

  it.each(REFERENCE_NAMES)(
    '%s has the PyTorch twin’s parameter count, counted and built',
    (name) => {
      const reference = referenceConfig(name);
      const spec = { family: reference.family, config: reference.config } as FamilyConfig;
      expect(parameterCount(spec)).toBe(reference.parameters);
      const before = tf.memory().numTensors;
      const model = buildModel(spec);
      expect(model.size().parameters).toBe(reference.parameters);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('keeps the reference batch sizes and optimisers', () => {
    expect(referenceConfig('dcgan').config).toMatchObject({
      batchSize: 64,
      learningRate: 2e-4,
      beta1: 0.5,
      beta2: 0.999,
      labelSmoothing: 0,
    });
    expect(referenceConfig('vae').config).toMatchObject({ batchSize: 64, learningRate: 1e-3 });
    expect(referenceConfig('charlstm').config).toMatchObject({
      batchSize: 32,
      learningRate: 2e-3,
      sequenceLength: 128,
    });
    expect(referenceConfig('chargpt').config).toMatchObject({
      batchSize: 32,
      learningRate: 3e-4,
      contextLength: 128,
    });
  });
});
