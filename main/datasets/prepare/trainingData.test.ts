import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESSING, parseStoredPreprocessing } from '../versions/preprocessing';
import { addDataset, labeledImages, openTestStudio, type TestStudio } from '../testing/testStudio';
import { cachePaths } from './tensorCache';
import {
  loadTrainingData,
  loadTrainingShape,
  type ImageTrainingData,
  type TextTrainingData,
} from './trainingData';

let studio: TestStudio;
let cacheDir: string;
beforeEach(() => {
  studio = openTestStudio();
  cacheDir = path.join(studio.dir, 'cache');
});
afterEach(async () => {
  await studio.cleanup();
});

const deps = () => ({ versions: studio.versions, blobs: studio.blobs, cacheDir });

async function loadImages(versionId: number, options = {}): Promise<ImageTrainingData> {
  const data = await loadTrainingData(deps(), versionId, options);
  if (data.kind !== 'image') throw new Error('expected images');
  return data;
}

describe('training data of a version', () => {
  it('splits images into train and validation with class indices, in the version settings', async () => {
    const { versionId } = await addDataset(studio, 'image', labeledImages(['b', 'a'], 10));
    const data = await loadImages(versionId);
    expect(data.classNames).toEqual(['a', 'b']);
    expect(data.classCount).toBe(2);
    expect(data.train).toMatchObject({ count: 18, height: 28, width: 28, channels: 1 });
    expect(data.validation.count).toBe(2);
    expect(data.train.pixels.length).toBe(18 * 28 * 28);
    expect([...data.validation.labels].sort()).toEqual([0, 1]);
    const validationIds = new Set(
      studio.versions
        .rows(versionId)
        .filter((r) => r.split === 'validation')
        .map((r) => r.itemId),
    );
    expect([...data.validation.itemIds].every((id) => validationIds.has(id))).toBe(true);
    expect(Math.min(...data.train.pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...data.train.pixels)).toBeLessThanOrEqual(1);
    // Each part owns its memory, so the ML host can transfer it without copying.
    expect(data.train.pixels.byteOffset).toBe(0);
    expect(data.train.pixels.byteLength).toBe(data.train.pixels.buffer.byteLength);
  });

  it('knows a version’s training shape without decoding it (what an estimate needs)', async () => {
    const { versionId } = await addDataset(studio, 'image', labeledImages(['b', 'a'], 3));
    const shape = await loadTrainingShape(deps(), versionId, { imageSize: 8 });
    expect(existsSync(cacheDir)).toBe(false); // nothing decoded, nothing cached
    const data = await loadImages(versionId, { imageSize: 8 });
    expect(shape).toEqual({
      kind: 'image',
      settings: data.settings,
      classNames: data.classNames,
      classCount: data.classCount,
      // How much it trains on, per class, as the loaded data counts it.
      trainPerClass: data.classNames.map(
        (_, c) => [...data.train.labels].filter((label) => label === c).length,
      ),
    });
  });

  it('decodes once: the second load reads the same tensors from the disk cache', async () => {
    const { versionId } = await addDataset(studio, 'image', labeledImages(['a', 'b'], 5));
    const first = await loadImages(versionId, { imageSize: 8 });
    expect(first.fromCache).toBe(false);
    const files = cachePaths(cacheDir, versionId, first.settings);
    expect(existsSync(files.data) && existsSync(files.header)).toBe(true);
    expect(path.basename(files.data)).toMatch(new RegExp(`^${versionId}-[0-9a-f]{16}\\.f32$`));
    const second = await loadImages(versionId, { imageSize: 8 });
    expect(second.fromCache).toBe(true);
    expect(second.train.pixels).toEqual(first.train.pixels);
    expect(second.validation.pixels).toEqual(first.validation.pixels);
    expect(second.train.labels).toEqual(first.train.labels);
    // Another size is another entry, not a stale read.
    expect((await loadImages(versionId, { imageSize: 6 })).fromCache).toBe(false);
  });

  it('decodes again when the cached data is damaged', async () => {
    const { versionId } = await addDataset(studio, 'image', labeledImages(['a'], 4));
    const first = await loadImages(versionId, { imageSize: 4 });
    await fs.truncate(cachePaths(cacheDir, versionId, first.settings).data, 10);
    const again = await loadImages(versionId, { imageSize: 4 });
    expect(again.fromCache).toBe(false);
    expect(again.train.pixels).toEqual(first.train.pixels);
  });

  it('gives pixels and the background fill for augmentation in [0, 1]', async () => {
    const { datasetId, versionId } = await addDataset(studio, 'image', labeledImages(['a'], 3));
    const v2 = studio.service.setPreprocessing(datasetId, versionId, {
      ...DEFAULT_PREPROCESSING,
      image: {
        ...DEFAULT_PREPROCESSING.image,
        size: 4,
        background: '#ffffff',
      },
      augmentation: { flipHorizontal: true, maxShift: 1 },
    });
    const data = await loadImages(v2.id);
    expect(Math.min(...data.train.pixels)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...data.train.pixels)).toBeLessThanOrEqual(1);
    expect(data.fill).toEqual([1]);
    expect(data.augmentation).toEqual({ flipHorizontal: true, maxShift: 1 });
  });

  it('reads a version saved with a value range as one without (each family picks its own)', () => {
    const old = {
      ...DEFAULT_PREPROCESSING,
      image: { ...DEFAULT_PREPROCESSING.image, range: 'minus-one-one' },
    };
    const parsed = parseStoredPreprocessing(JSON.stringify(old));
    expect(parsed.image).toEqual(DEFAULT_PREPROCESSING.image);
    expect('range' in parsed.image).toBe(false);
  });

  it('tokenizes text with the version vocabulary and case folding', async () => {
    const { datasetId, versionId } = await addDataset(
      studio,
      'text',
      Array.from({ length: 10 }, (_, i) => ({ label: null, content: `Ab${i}` })),
    );
    const v2 = studio.service.setPreprocessing(datasetId, versionId, {
      ...DEFAULT_PREPROCESSING,
      text: { caseFold: true },
    });
    expect(v2.note).toBe('case folding off→on');
    const data = (await loadTrainingData(deps(), v2.id)) as TextTrainingData;
    expect(data.kind).toBe('text');
    expect(data.vocabulary).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'a', 'b']);
    expect(data.train.documentStarts.length).toBe(9);
    expect(data.validation.documentStarts.length).toBe(1);
    expect(data.train.tokens.length + data.validation.tokens.length).toBe(30);
    const first = data.train.itemIds[0] as number;
    const text = await studio.service.itemText(first);
    const decoded = [...data.train.tokens.subarray(0, 3)].map((t) => data.vocabulary[t]).join('');
    expect(decoded).toBe(text.text.toLowerCase());
  });
});
