import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addDataset,
  failureOf,
  labeledImages,
  openTestStudio,
  type TestStudio,
} from '../testing/testStudio';
import { DEFAULT_PREPROCESSING } from './preprocessing';

let studio: TestStudio;
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

describe('dataset versions', () => {
  it('writes version 1 at import with the default settings and a stratified split', async () => {
    const { datasetId, versionId } = await addDataset(
      studio,
      'image',
      labeledImages(['a', 'b'], 10),
    );
    const detail = studio.service.getVersion(versionId);
    expect(detail).toMatchObject({ number: 1, itemCount: 20, trainCount: 18, validationCount: 2 });
    expect(detail.preprocessing).toEqual(DEFAULT_PREPROCESSING);
    expect(detail.classes).toEqual([
      { label: 'a', count: 10, train: 9, validation: 1, synthetic: 0 },
      { label: 'b', count: 10, train: 9, validation: 1, synthetic: 0 },
    ]);
    expect(detail.isLatest).toBe(true);
    expect(detail.undoTargetId).toBeNull();
    expect(studio.service.versions(datasetId)).toHaveLength(1);
  });

  it('makes a new version per change, with its diff as the note, and never rewrites one', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['0', '7'], 5));
    const before = studio.versions.rows(v1);
    const v2 = studio.service.editItems(datasetId, v1, itemIds.slice(0, 2), { action: 'exclude' });
    expect(v2).toMatchObject({ number: 2, parentId: v1, note: '2 excluded', itemCount: 8 });
    const sevens = studio.versions.rows(v2.id).filter((r) => r.label === '7');
    const v3 = studio.service.editItems(
      datasetId,
      v2.id,
      sevens.slice(0, 2).map((r) => r.itemId),
      { action: 'relabel', label: '1' },
    );
    expect(v3.note).toBe('2 relabeled 7→1');
    const v4 = studio.service.setPreprocessing(datasetId, v3.id, {
      ...DEFAULT_PREPROCESSING,
      image: { ...DEFAULT_PREPROCESSING.image, size: 32 },
    });
    expect(v4.note).toBe('size 28→32');
    expect(studio.service.getVersion(v4.id).preprocessing.image.size).toBe(32);
    // Version 1 is exactly what it was.
    expect(studio.versions.rows(v1)).toEqual(before);
    expect(studio.service.versions(datasetId).map((v) => v.number)).toEqual([4, 3, 2, 1]);
    expect(studio.service.compare(v1, v4.id).summary).toBe(
      '2 excluded, 2 relabeled 7→1, size 28→32',
    );
  });

  it('undoes by writing the parent content as a new version, and undo again walks back', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['a'], 6));
    const v2 = studio.service.editItems(datasetId, v1, [itemIds[0] as number], {
      action: 'exclude',
    });
    const v3 = studio.service.editItems(datasetId, v2.id, [itemIds[1] as number], {
      action: 'relabel',
      label: 'b',
    });
    expect(studio.service.getVersion(v3.id).undoTargetId).toBe(v2.id);
    const v4 = studio.service.undo(datasetId, v3.id);
    expect(v4).toMatchObject({ number: 4, parentId: v3.id, undoOfId: v3.id });
    expect(v4.note).toBe('Undo v3: 1 relabeled b→a');
    expect(studio.versions.rows(v4.id)).toEqual(studio.versions.rows(v2.id));
    const v5 = studio.service.undo(datasetId, v4.id);
    expect(v5.note).toBe('Undo v2: 1 included');
    expect(studio.versions.rows(v5.id)).toEqual(studio.versions.rows(v1));
    expect(failureOf(() => studio.service.undo(datasetId, v5.id))).toMatchObject({
      code: 'invalid-input',
      message: expect.stringMatching(/nothing to undo/),
    });
  });

  it('restores any version as a new one, and undoing the restore goes back to before it', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['a'], 4));
    const v2 = studio.service.editItems(datasetId, v1, itemIds.slice(0, 2), { action: 'exclude' });
    const v3 = studio.service.restore(datasetId, v2.id, v1);
    expect(v3.note).toBe('Restore v1: 2 included');
    expect(studio.versions.rows(v3.id)).toEqual(studio.versions.rows(v1));
    const v4 = studio.service.undo(datasetId, v3.id);
    expect(v4.note).toBe('Undo v3: 2 excluded');
    expect(studio.versions.rows(v4.id)).toEqual(studio.versions.rows(v2.id));
  });

  it('refuses a change made on a version that is no longer the newest', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['a'], 4));
    studio.service.editItems(datasetId, v1, [itemIds[0] as number], { action: 'exclude' });
    expect(
      failureOf(() =>
        studio.service.editItems(datasetId, v1, [itemIds[1] as number], { action: 'exclude' }),
      ),
    ).toMatchObject({ code: 'conflict', message: expect.stringMatching(/v2/) });
    expect(studio.service.versions(datasetId)).toHaveLength(2);
  });

  it('refuses changes that change nothing and items of another dataset', async () => {
    const first = await addDataset(studio, 'image', labeledImages(['a'], 3));
    const second = await addDataset(studio, 'image', labeledImages(['b'], 3));
    expect(
      failureOf(() =>
        studio.service.editItems(first.datasetId, first.versionId, first.itemIds, {
          action: 'include',
        }),
      ).message,
    ).toMatch(/Nothing would change/);
    expect(
      failureOf(() =>
        studio.service.editItems(first.datasetId, first.versionId, second.itemIds, {
          action: 'exclude',
        }),
      ).message,
    ).toMatch(/not in this dataset/);
  });

  it('includes an item again with the label it last had', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['a'], 3));
    const id = itemIds[0] as number;
    const v2 = studio.service.editItems(datasetId, v1, [id], { action: 'relabel', label: 'z' });
    const v3 = studio.service.editItems(datasetId, v2.id, [id], { action: 'exclude' });
    const v4 = studio.service.editItems(datasetId, v3.id, [id], { action: 'include' });
    expect(v4.note).toBe('1 included');
    expect(studio.versions.rows(v4.id).find((r) => r.itemId === id)?.label).toBe('z');
  });

  it('emits datasets:changed for every new version', async () => {
    const { datasetId, versionId, itemIds } = await addDataset(
      studio,
      'image',
      labeledImages(['a'], 3),
    );
    const seen: number[] = [];
    studio.events.on('datasets:changed', (e) => seen.push(e.datasetId));
    studio.service.editItems(datasetId, versionId, [itemIds[0] as number], { action: 'exclude' });
    expect(seen).toEqual([datasetId]);
  });
});

describe('browsing a version', () => {
  it('filters by flag and class, sorts, and shows excluded items with their import label', async () => {
    const {
      datasetId,
      versionId: v1,
      itemIds,
    } = await addDataset(studio, 'image', labeledImages(['a', 'b'], 3));
    const v2 = studio.service.editItems(datasetId, v1, [itemIds[0] as number], {
      action: 'exclude',
    });
    const v3 = studio.service.editItems(datasetId, v2.id, [itemIds[1] as number], {
      action: 'relabel',
      label: 'b',
    });
    const page = (args: object) =>
      studio.service.browse({ datasetId, offset: 0, limit: 100, ...args });

    const all = await page({});
    expect(all.versionId).toBe(v3.id);
    expect(all.total).toBe(6);
    const excluded = await page({ filter: 'excluded' });
    expect(excluded.items.map((i) => [i.id, i.included, i.split, i.label])).toEqual([
      [itemIds[0], false, null, 'a'],
    ]);
    const relabeled = await page({ filter: 'relabeled' });
    expect(relabeled.items.map((i) => [i.id, i.originalLabel, i.label])).toEqual([
      [itemIds[1], 'a', 'b'],
    ]);
    expect((await page({ label: 'b', filter: 'included' })).total).toBe(4);
    const byPathDesc = await page({ sort: 'path', descending: true, limit: 2 });
    expect(byPathDesc.items.map((i) => i.sourcePath)).toEqual(['/test/b/0005', '/test/b/0004']);
    expect((await page({ versionId: v1 })).items.every((i) => i.included)).toBe(true);
    const train = (await page({ filter: 'train' })).total;
    const validation = (await page({ filter: 'validation' })).total;
    expect(train + validation).toBe(5);
  });

  it('previews text items and reads their whole text', async () => {
    const long = `${'é'.repeat(200)}🙂end`;
    const { datasetId, itemIds } = await addDataset(studio, 'text', [
      { label: null, content: 'Shall I compare thee' },
      { label: null, content: long },
    ]);
    const page = await studio.service.browse({ datasetId, offset: 0, limit: 10, sort: 'imported' });
    expect(page.items[0]?.preview).toBe('Shall I compare thee');
    expect(page.items[1]?.preview).toBe('é'.repeat(160));
    const text = await studio.service.itemText(itemIds[1] as number, 201);
    expect(text).toMatchObject({ totalChars: 204, truncated: true });
    expect(text.text).toBe(`${'é'.repeat(200)}🙂`);
  });
});
