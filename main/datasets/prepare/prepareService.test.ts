import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESSING } from '../versions/preprocessing';
import { addDataset, labeledImages, openTestStudio, type TestStudio } from '../testing/testStudio';
import { PrepareService } from './prepareService';

let studio: TestStudio;
let prepare: PrepareService;
beforeEach(() => {
  studio = openTestStudio();
  prepare = new PrepareService({
    versions: studio.versions,
    blobs: studio.blobs,
    thumbnails: studio.thumbnails,
    cacheDir: path.join(studio.dir, 'cache'),
  });
});
afterEach(async () => {
  await studio.cleanup();
});

async function pngSize(dataUrl: string): Promise<[number, number, number]> {
  const meta = await sharp(Buffer.from(dataUrl.split(',')[1] as string, 'base64')).metadata();
  return [meta.width ?? 0, meta.height ?? 0, meta.channels ?? 0];
}

describe('preprocessing previews', () => {
  it('renders one example per class with unsaved settings, augmented only when asked', async () => {
    const { datasetId } = await addDataset(studio, 'image', labeledImages(['a', 'b', 'c'], 2));
    const plain = await prepare.preview(datasetId, DEFAULT_PREPROCESSING, undefined, 3);
    expect(plain.map((p) => p.label)).toEqual(['a', 'b', 'c']);
    expect(await pngSize(plain[0]?.prepared as string)).toEqual([28, 28, 1]);
    expect(plain[0]?.augmented).toEqual([]);

    const settings = {
      ...DEFAULT_PREPROCESSING,
      image: { ...DEFAULT_PREPROCESSING.image, size: 16, channels: 3 as const },
      augmentation: { flipHorizontal: true, maxShift: 2 },
    };
    const [first] = await prepare.preview(datasetId, settings, undefined, 1);
    expect(await pngSize(first?.prepared as string)).toEqual([16, 16, 3]);
    expect(first?.augmented).toHaveLength(4);
    // Seeded by item: the same settings preview the same way every time.
    const [again] = await prepare.preview(datasetId, settings, undefined, 1);
    expect(again?.augmented).toEqual(first?.augmented);
  });

  it('previews the chosen items, and refuses text datasets', async () => {
    const { datasetId, itemIds } = await addDataset(studio, 'image', labeledImages(['a'], 3));
    const chosen = await prepare.preview(datasetId, DEFAULT_PREPROCESSING, [itemIds[2] as number]);
    expect(chosen.map((p) => p.itemId)).toEqual([itemIds[2]]);
    const text = await addDataset(studio, 'text', [{ label: null, content: 'hi' }]);
    await expect(prepare.preview(text.datasetId, DEFAULT_PREPROCESSING)).rejects.toThrow(
      /Only image datasets/,
    );
  });

  it('summarises a text version: lengths, characters, vocabulary', async () => {
    const { versionId } = await addDataset(studio, 'text', [
      { label: null, content: 'abc' },
      { label: null, content: 'aB' },
    ]);
    const stats = await prepare.textStats(versionId);
    expect(stats).toMatchObject({ itemCount: 2, totalChars: 5 });
    expect(stats.characters[0]).toEqual({ char: 'a', count: 2 });
    expect(stats.vocabulary).toEqual(['B', 'a', 'b', 'c']);
    expect(stats.lengths.reduce((n, bin) => n + bin.count, 0)).toBe(2);
  });
});
