import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioEventBus } from '../../common/events';
import { StudioFailure } from '../../common/failure';
import { pngBytes, writeFile } from '../../testing/fixtures';
import { DatasetService } from '../datasetService';
import { importFolder } from './importFolder';
import { importKit, type ImportKit } from '../testing/importKit';
import { UploadStaging } from './uploadStaging';

let kit: ImportKit;
beforeEach(() => {
  kit = importKit();
});
afterEach(() => kit.close());

function countFiles(root: string): number {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
    .length;
}

function datasetCount(): number {
  return (kit.db.prepare('SELECT COUNT(*) AS n FROM datasets').get() as { n: number }).n;
}

describe('importing the same folder again', () => {
  it('returns the existing dataset unchanged and stores nothing new', async () => {
    const src = path.join(kit.dir, 'digits');
    for (let i = 0; i < 6; i++) await writeFile(src, `${i % 2}/${i}.png`, await pngBytes(i));
    await writeFile(src, 'broken.png', '');
    const first = await importFolder(kit.deps, src);
    const blobs = countFiles(kit.deps.blobs.root);
    const thumbs = countFiles(kit.deps.thumbnails.root);

    const again = await importFolder(kit.deps, src);
    expect(again.alreadyImported).toBe(true);
    expect(again.dataset).toEqual(first.dataset);
    expect(again.importedCount).toBe(6);
    expect(again.skipped).toEqual(first.skipped);
    expect(datasetCount()).toBe(1);
    expect(countFiles(kit.deps.blobs.root)).toBe(blobs);
    expect(countFiles(kit.deps.thumbnails.root)).toBe(thumbs);
  });

  it('makes a new dataset when the folder changed, reusing every stored blob', async () => {
    const src = path.join(kit.dir, 'digits');
    for (let i = 0; i < 4; i++) await writeFile(src, `a/${i}.png`, await pngBytes(i));
    const first = await importFolder(kit.deps, src);
    const blobs = countFiles(kit.deps.blobs.root);
    await writeFile(src, 'a/new.png', await pngBytes(99));

    const changed = await importFolder(kit.deps, src);
    expect(changed.alreadyImported).toBe(false);
    expect(changed.dataset.id).not.toBe(first.dataset.id);
    expect(changed.importedCount).toBe(5);
    expect(countFiles(kit.deps.blobs.root)).toBe(blobs + 1);
    // A relabelled file is a change too: the fingerprint covers labels.
    const renamed = await importFolder(kit.deps, src, { name: 'other name' });
    expect(renamed.alreadyImported).toBe(false);
    expect(datasetCount()).toBe(3);
  });
});

describe('cancelling an import', () => {
  function service(): DatasetService {
    return new DatasetService({
      ...kit.deps,
      uploads: new UploadStaging(path.join(kit.dir, 'uploads')),
      events: new StudioEventBus(),
    });
  }

  it('stops it by importId, removes what it added and fails as cancelled', async () => {
    const src = path.join(kit.dir, 'many');
    for (let i = 0; i < 40; i++) await writeFile(src, `c/${i}.png`, await pngBytes(i, 16, 3));
    const datasets = service();
    const importId = '6f1c2a52-1111-4d6f-9a8b-0123456789ab';
    let cancelledAt = -1;
    const run = datasets.importFolder(src, {
      importId,
      onProgress: (p) => {
        if (p.phase === 'importing' && p.done === 5) {
          cancelledAt = p.done;
          expect(datasets.cancelImport(importId)).toEqual({ cancelled: true });
        }
      },
    });
    const failure = await run.catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(StudioFailure);
    expect((failure as StudioFailure).code).toBe('cancelled');
    expect(cancelledAt).toBe(5);
    expect(datasetCount()).toBe(0);
    expect(kit.db.prepare('SELECT COUNT(*) AS n FROM items').get()).toEqual({ n: 0 });
    expect(datasets.cancelImport(importId)).toEqual({ cancelled: false });
    // And the same folder imports in full afterwards.
    expect((await datasets.importFolder(src, { importId })).importedCount).toBe(40);
  });
});
