import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PrepareService } from '../datasets/prepare/prepareService';
import {
  addDataset,
  labeledImages,
  openTestStudio,
  type TestStudio,
} from '../datasets/testing/testStudio';
import { SyntheticRepository } from '../datasets/versions/syntheticRepository';
import { findModelPreset, runConfigFromPreset } from '../ml/config/presets';
import { imageOptions, resolveRunConfig, storedDataChoice } from './runDataOptions';

// A run's choice of synthetic items, resolved in main into what the worker's data is loaded with.
let studio: TestStudio;
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

/** Marks the last `count` items of a version synthetic, as "add to dataset" leaves them. */
function markSynthetic(versionId: number, count: number): void {
  const rows = studio.versions.rows(versionId).slice(-count);
  const insert = studio.db.prepare(
    `INSERT INTO synthetic_items (item_id, run_id, step, origin, class_source, created_at)
     VALUES (?, 1, 10, 'training', 'chosen', 'now')`,
  );
  for (const row of rows) insert.run(row.itemId);
}

describe('the synthetic choice of a run', () => {
  it('resolves into the load options and the amounts the data check reads', async () => {
    const { versionId } = await addDataset(studio, 'image', labeledImages(['a', 'b'], 6));
    markSynthetic(versionId, 3);
    expect(new SyntheticRepository(studio.db).perClass(versionId)).toEqual([
      { label: 'b', count: 3 },
    ]);
    const prepare = new PrepareService({
      versions: studio.versions,
      blobs: studio.blobs,
      thumbnails: studio.thumbnails,
      cacheDir: `${studio.dir}/cache`,
    });
    const preset = findModelPreset('vae-tiny')!;
    const all = await resolveRunConfig(prepare, preset, versionId);
    const real = await resolveRunConfig(prepare, preset, versionId, undefined, {
      includeSynthetic: false,
    });
    expect(all.loadOptions.includeSynthetic).toBeUndefined();
    expect(real.loadOptions.includeSynthetic).toBe(false);
    const trained = (r: typeof all) => r.shape.trainPerClass.reduce((s, n) => s + n, 0);
    expect(trained(all) - trained(real)).toBe(3);
    // What the worker is sent: the loaded data with these options.
    const data = await prepare.loadTrainingData(versionId, real.loadOptions);
    expect(data.train.itemIds.length + data.validation.itemIds.length).toBe(9);
  });

  it('is read back from the stored config, and runs stored before it train on everything', () => {
    const run = runConfigFromPreset('conv-vae-tiny', { kind: 'image', channels: 1 });
    expect(storedDataChoice({ data: { includeSynthetic: false } })).toEqual({
      includeSynthetic: false,
    });
    expect(storedDataChoice({ family: 'conv-vae' })).toEqual({ includeSynthetic: true });
    expect(imageOptions(run, { includeSynthetic: false })).toMatchObject({
      includeSynthetic: false,
    });
    expect(imageOptions(run, { includeSynthetic: true })).not.toHaveProperty('includeSynthetic');
  });
});
