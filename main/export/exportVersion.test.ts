import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { openDatabase, type Db } from '../db/connection';
import { BlobStore } from '../store/blobStore';
import { pngBytes, tempDir, writeFile } from '../testing/fixtures';
import { exportVersion, type VersionManifest } from './exportVersion';

// A real import (two classes and an unlabeled file), then its version exported from the records.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
let dataDir: string;
let cleanup: () => Promise<void>;
let db: Db;
let datasetId: number;
let source: string;

beforeAll(async () => {
  ({ dir: dataDir, cleanup } = tempDir());
  source = path.join(dataDir, 'source');
  await writeFile(source, 'cat/a.png', await pngBytes(1));
  await writeFile(source, 'cat/b.png', await pngBytes(2));
  await writeFile(source, 'dog/a.png', await pngBytes(3));
  await writeFile(source, 'LICENSE', 'MIT License\n\nCopyright (c) 2026 the cat and dog people\n');
  const core = new StudioCore({
    dataDir: path.join(dataDir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
  });
  try {
    datasetId = (await core.datasets.importFolder(source)).dataset.id;
  } finally {
    await core.close();
  }
  db = openDatabase(path.join(dataDir, 'data', 'studio.db'));
  // The dog stands for an item "generate to augment" added: made at step 40 of run 7, seed 3.
  db.prepare(
    `INSERT INTO synthetic_items (item_id, run_id, step, origin, seed, class_label, class_source,
       created_at)
     SELECT id, 7, 40, 'generated', 3, 'dog', 'asked', 'now' FROM items
     WHERE dataset_id = ? AND id IN (SELECT item_id FROM version_items WHERE label = 'dog')`,
  ).run(datasetId);
}, 60_000);

afterAll(async () => {
  db.close();
  await cleanup();
});

describe('exportVersion', () => {
  it('writes class folders of the original bytes and a manifest with path, label, split, sha256', async () => {
    const deps = {
      dataDir: path.join(dataDir, 'data'),
      db,
      blobs: new BlobStore(path.join(dataDir, 'data', 'blobs')),
    };
    const out = path.join(dataDir, 'out');
    const result = await exportVersion(deps, datasetId, undefined, out);
    expect(result.files).toBe(3);
    const manifest = JSON.parse(await fs.readFile(result.manifestPath, 'utf8')) as VersionManifest;
    expect(manifest.dataset).toMatchObject({ id: datasetId, kind: 'image' });
    expect(manifest.version.number).toBe(1);
    expect(manifest.license).toEqual({ name: 'MIT License', file: path.join(source, 'LICENSE') });
    expect(manifest.items.map((i) => [i.label, path.posix.dirname(i.path)])).toEqual([
      ['cat', 'cat'],
      ['cat', 'cat'],
      ['dog', 'dog'],
    ]);
    for (const item of manifest.items) {
      const bytes = await fs.readFile(path.join(out, item.path));
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
      expect(['train', 'validation']).toContain(item.split);
    }
    // The generated item says so, with where it came from; the imported ones say null.
    expect(manifest.syntheticCount).toBe(1);
    expect(manifest.items.map((i) => i.synthetic?.runId ?? null)).toEqual([null, null, 7]);
    expect(manifest.items[2]?.synthetic).toMatchObject({
      step: 40,
      seed: 3,
      classLabel: 'dog',
      classSource: 'asked',
      prompt: null,
    });
    // The bytes are the originals, not re-encoded.
    const dogFile = manifest.items.find((i) => i.label === 'dog')?.path ?? '';
    expect(await fs.readFile(path.join(out, dogFile))).toEqual(await pngBytes(3));

    await expect(exportVersion(deps, datasetId, undefined, out)).rejects.toThrow(/not empty/);
    await expect(exportVersion(deps, datasetId, 9, path.join(dataDir, 'o2'))).rejects.toThrow(
      /Version 9/,
    );
  });
});
