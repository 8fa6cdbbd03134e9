import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { seededRandom } from '../../../common/random';
import {
  AUGMENTED_PER_ITEM,
  augmentationPreviewSeed,
  PrepareService,
} from '../../../datasets/prepare/prepareService';
import { loadTrainingData } from '../../../datasets/prepare/trainingData';
import { DEFAULT_PREPROCESSING } from '../../../datasets/versions/preprocessing';
import { addDataset, openTestStudio, type TestStudio } from '../../../datasets/testing/testStudio';
import { runConfigFromPreset } from '../../config/presets';
import type { ImageJobData } from '../../protocol';
import { buildTrainJob, dataShapeOf } from '../../../runs/trainingJob';
import { useTestBackend } from '../testing/backend';
import { imageBatchSource } from './data';

let studio: TestStudio;
beforeAll(async () => {
  await useTestBackend('dense');
});
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

/** A grey preview PNG's pixel values (sharp decodes it as RGB: one channel is enough). */
const pngPixels = async (dataUrl: string): Promise<number[]> => [
  ...(await sharp(Buffer.from(dataUrl.split(',')[1] as string, 'base64'))
    .extractChannel(0)
    .raw()
    .toBuffer()),
];

describe('augmentation', () => {
  it('previews exactly the training batch drawn with the same seed, image by image', async () => {
    const { datasetId, versionId, itemIds } = await addDataset(studio, 'image', [
      { label: 'a', content: 7, size: 8 },
    ]);
    const preprocessing = {
      ...DEFAULT_PREPROCESSING,
      image: { ...DEFAULT_PREPROCESSING.image, size: 8, background: '#808080' },
      augmentation: { flipHorizontal: true, maxShift: 2 },
      split: { validationFraction: 0, seed: 1 },
    };
    const version = studio.service.setPreprocessing(datasetId, versionId, preprocessing);
    const itemId = itemIds[0] as number;
    const cacheDir = path.join(studio.dir, 'cache');
    const deps = { versions: studio.versions, blobs: studio.blobs, cacheDir };
    const prepare = new PrepareService({ ...deps, thumbnails: studio.thumbnails });

    const [preview] = await prepare.preview(datasetId, preprocessing, [itemId]);
    const shown = await Promise.all((preview?.augmented ?? []).map(pngPixels));
    expect(shown).toHaveLength(AUGMENTED_PER_ITEM);

    // Training: the version's one image, a batch of as many copies, drawn with the preview's seed.
    const data = await loadTrainingData(deps, version.id);
    const run = runConfigFromPreset('vae-tiny', dataShapeOf(data, false), { steps: 1 });
    const job = buildTrainJob('job', run, data, { checkpointDir: studio.dir });
    const source = imageBatchSource(job.data as ImageJobData, AUGMENTED_PER_ITEM, 'zero-one');
    const batch = source.nextBatch(seededRandom(augmentationPreviewSeed(itemId)));
    const values = [...batch.images.dataSync()].map((v) => Math.round(v * 255));
    source.disposeBatch(batch);
    source.dispose();
    const perImage = 8 * 8;
    const trained = shown.map((_, n) => values.slice(n * perImage, (n + 1) * perImage));
    expect(trained).toEqual(shown);
    // And the draws differ between copies (some flip or shift), so the check has teeth.
    expect(new Set(shown.map((p) => p.join())).size).toBeGreaterThan(1);
  });
});
