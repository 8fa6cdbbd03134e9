import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../common/random';
import { resolveFamilyConfig } from '../../config/configs';
import { TRAINING_PIXEL_RANGE, toPixelRange, type ImageFamily } from '../../config/pixelRange';
import type { ImageGenerator } from '../models/model';
import { buildModel } from '../models/registry';
import { useTestBackend } from '../testing/backend';
import { barImages, imageParts } from '../testing/syntheticImages';
import { imageBatchSource } from './data';

const tiny: Record<ImageFamily, Record<string, unknown>> = {
  'dense-vae': {
    imageSize: 8,
    channels: 1,
    latentDim: 2,
    hiddenUnits: 4,
    batchSize: 4,
    steps: 1,
    learningRate: 1e-3,
    beta: 1,
    seed: 1,
  },
  'conv-vae': { imageSize: 8, channels: 1, latentDim: 2, filters: [2, 4], batchSize: 4 },
  dcgan: {
    imageSize: 8,
    channels: 1,
    latentDim: 2,
    generatorFilters: [4, 2],
    discriminatorFilters: [2, 4],
    batchSize: 4,
  },
};

beforeAll(async () => {
  await useTestBackend('dense');
});

describe('the pixel range training uses', () => {
  it.each(Object.keys(tiny) as ImageFamily[])(
    'is the one %s needs, for training and validation batches alike',
    (family) => {
      const model = buildModel(resolveFamilyConfig(family, tiny[family])) as ImageGenerator;
      const wire = imageParts(barImages(8, 8), 4); // the version's tensors, in [0, 1]
      const source = imageBatchSource(wire, 4, model.pixelRange);
      try {
        expect(model.pixelRange).toBe(TRAINING_PIXEL_RANGE[family]);
        // A VAE's Bernoulli likelihood (BCE) needs [0, 1]; DCGAN's tanh generator [−1, 1].
        expect(model.pixelRange).toBe(family === 'dcgan' ? 'minus-one-one' : 'zero-one');
        const random = new SeededRandom(1);
        const batch = source.nextBatch(() => random.next());
        const [validation] = source.validationBatches(1);
        const expected = [...wire.validation.pixels].map((v) => toPixelRange(v, model.pixelRange));
        expect([...(validation?.images.dataSync() ?? [])]).toEqual(expected.map(Math.fround));
        const values = [...batch.images.dataSync()];
        const [low, high] = model.pixelRange === 'zero-one' ? [0, 1] : [-1, 1];
        expect(Math.min(...values)).toBeGreaterThanOrEqual(low);
        expect(Math.max(...values)).toBeLessThanOrEqual(high);
        // Bright bars (0.95) on a dark ground (0.05): the ground's value, mapped to the range.
        expect(Math.min(...values)).toBeCloseTo(toPixelRange(0.05, model.pixelRange), 5);
        source.disposeBatch(batch);
        if (validation) source.disposeBatch(validation);
      } finally {
        source.dispose();
        model.dispose();
      }
    },
  );
});
