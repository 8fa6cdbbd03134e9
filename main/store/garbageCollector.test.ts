import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../db/connection';
import { DatasetRepository } from '../datasets/datasetRepository';
import { pngBytes, tempDir, writeFile } from '../testing/fixtures';
import { BlobStore } from './blobStore';
import { collectGarbage } from './garbageCollector';
import { ThumbnailStore } from './thumbnails';

let cleanup: (() => Promise<void>) | null = null;
let db: Db | null = null;
afterEach(async () => {
  db?.close();
  db = null;
  await cleanup?.();
  cleanup = null;
});

const DAY_MS = 24 * 60 * 60 * 1000;

/** Files written "two days ago": older than any grace period the tests use. */
function age(files: readonly string[], now: number): void {
  const then = new Date(now - 2 * DAY_MS);
  for (const file of files) utimesSync(file, then, then);
}

async function importInto(
  repository: DatasetRepository,
  blobs: BlobStore,
  thumbnails: ThumbnailStore,
  name: string,
  seeds: readonly number[],
): Promise<{ datasetId: number; shas: string[] }> {
  const datasetId = repository.beginDataset(name, 'image', `/${name}`);
  const shas: string[] = [];
  for (const seed of seeds) {
    const bytes = await pngBytes(seed);
    const sha = await blobs.put(bytes);
    await thumbnails.ensure(sha, bytes);
    shas.push(sha);
  }
  repository.addItems(
    datasetId,
    shas.map((blobSha, i) => ({
      blobSha,
      kind: 'image',
      label: null,
      sourcePath: `${i}.png`,
      format: 'png',
      width: 8,
      height: 8,
      channels: 1,
      byteSize: 1,
    })),
  );
  return { datasetId, shas };
}

describe('collectGarbage', () => {
  it("sweeps an interrupted import's blobs and thumbnails, keeps referenced and fresh ones", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.dir, 'studio.db'));
    const repository = new DatasetRepository(db);
    const blobs = new BlobStore(path.join(t.dir, 'blobs'));
    const thumbnails = new ThumbnailStore(path.join(t.dir, 'thumbs'));
    const now = Date.now();

    const kept = await importInto(repository, blobs, thumbnails, 'kept', [1, 2]);
    repository.finishImport(kept.datasetId);
    // Seed 2 is in both: the interrupted import must not take the finished one's blob with it.
    const interrupted = await importInto(repository, blobs, thumbnails, 'cut', [2, 3, 4]);
    // A write a crash cut short, in a shard folder of its own.
    const stale = await writeFile(t.dir, `blobs/ab/${'c'.repeat(62)}.0123456789ab.tmp`, 'half');
    age(
      [...kept.shas, ...interrupted.shas].flatMap((sha) => [
        blobs.pathOf(sha),
        thumbnails.pathOf(sha),
      ]),
      now,
    );
    age([stale], now);
    // What a start does for an import the killed process never finished.
    expect(repository.removeUnfinishedImports()).toBe(1);
    // An import running right now: written, its row not committed yet.
    const inProgress = await blobs.put(await pngBytes(5));
    await thumbnails.ensure(inProgress, await pngBytes(5));

    const gone = [interrupted.shas[1], interrupted.shas[2]] as string[];
    const dry = await collectGarbage(db, t.dir, { dryRun: true, now });
    expect(dry.swept.map((f) => f.path).sort()).toEqual(
      [
        ...gone.flatMap((sha) => [
          path.relative(t.dir, blobs.pathOf(sha)),
          path.relative(t.dir, thumbnails.pathOf(sha)),
        ]),
        path.relative(t.dir, stale),
      ].sort(),
    );
    expect(dry.files).toBe(5);
    expect(dry.bytes).toBe(dry.swept.reduce((sum, f) => sum + f.bytes, 0));
    expect(dry.bytes).toBeGreaterThan(0);
    expect(dry.deferred).toBe(2);
    expect(dry.referenced).toBe(2);
    for (const sha of gone) expect(blobs.has(sha)).toBe(true);

    const real = await collectGarbage(db, t.dir, { now });
    expect(real.swept).toEqual(dry.swept);
    for (const sha of gone) {
      expect(blobs.has(sha)).toBe(false);
      expect(existsSync(thumbnails.pathOf(sha))).toBe(false);
    }
    expect(existsSync(stale)).toBe(false);
    for (const sha of [...kept.shas, inProgress]) {
      expect(blobs.has(sha)).toBe(true);
      expect(existsSync(thumbnails.pathOf(sha))).toBe(true);
    }
    expect((await collectGarbage(db, t.dir, { now })).files).toBe(0);
  });

  it("sweeps a run's folder once its run has no record, and stale temporary files under runs/ and cache/", async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.dir, 'studio.db'));
    const repository = new DatasetRepository(db);
    const datasetId = repository.beginDataset('d', 'image', '/d');
    const versionId = repository.finishImport(datasetId);
    const runId = Number(
      db
        .prepare(
          `INSERT INTO runs (dataset_id, version_id, family, preset_id, config, status,
             total_steps, created_at) VALUES (?, ?, 'vae', 'p', '{}', 'completed', 5, 'now')`,
        )
        .run(datasetId, versionId).lastInsertRowid,
    );
    const now = Date.now();
    const live = await writeFile(t.dir, `runs/${runId}/samples/step-000005-00.png`, 'png');
    const gone = await writeFile(t.dir, `runs/${runId + 1}/checkpoints/checkpoint.json`, '{}');
    const stranger = await writeFile(t.dir, 'runs/notes/readme.txt', 'mine');
    // Left by a checkpoint write a crash cut short (the old writer named them <file>.<pid>.tmp).
    const cutShort = await writeFile(t.dir, `runs/${runId}/checkpoints/weights.bin.77.tmp`, 'abc');
    const cacheLeftover = await writeFile(t.dir, 'cache/versions/1/data.bin.0a0b0c.tmp', 'abcd');
    age([live, gone, stranger, cutShort, cacheLeftover], now);
    age([path.dirname(live), path.dirname(gone), path.dirname(stranger)], now);
    age([path.dirname(path.dirname(live)), path.dirname(path.dirname(gone))], now);

    const report = await collectGarbage(db, t.dir, { now });
    expect(report.swept).toEqual([
      { path: path.join('runs', String(runId + 1)), bytes: 2, why: 'run-without-record' },
      { path: path.relative(t.dir, cutShort), bytes: 3, why: 'temporary' },
      { path: path.relative(t.dir, cacheLeftover), bytes: 4, why: 'temporary' },
    ]);
    expect(existsSync(cutShort)).toBe(false);
    expect(existsSync(cacheLeftover)).toBe(false);
    expect(existsSync(path.dirname(path.dirname(gone)))).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(existsSync(stranger)).toBe(true);
  });

  it('keeps a blob an import touches again, even when it was unreferenced and old', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.dir, 'studio.db'));
    const blobs = new BlobStore(path.join(t.dir, 'blobs'));
    const bytes = Buffer.from('an orphan that is about to be imported again');
    const sha = await blobs.put(bytes);
    const now = Date.now();
    age([blobs.pathOf(sha)], now);
    await blobs.putWithSha(sha, bytes);
    const report = await collectGarbage(db, t.dir, { now: now + 1 });
    expect(report.files).toBe(0);
    expect(blobs.has(sha)).toBe(true);
  });
});
