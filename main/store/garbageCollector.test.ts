import { existsSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addDataset, openTestStudio, type TestStudio } from '../datasets/testing/testStudio';
import { pngBytes, writeFile } from '../testing/fixtures';
import { collectGarbage } from './garbageCollector';

let studio: TestStudio | null = null;
afterEach(async () => {
  await studio?.cleanup();
  studio = null;
});

function open(): TestStudio {
  studio = openTestStudio();
  return studio;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Files written "two days ago": older than any grace period the tests use. */
function age(files: readonly string[], now: number): void {
  const then = new Date(now - 2 * DAY_MS);
  for (const file of files) utimesSync(file, then, then);
}

/** What a killed import leaves: blobs, thumbnails and item rows of a dataset never finished. */
async function beginImport(s: TestStudio, seeds: readonly number[]): Promise<string[]> {
  const datasetId = s.datasets.beginDataset('cut', 'image', '/cut');
  const shas: string[] = [];
  for (const seed of seeds) {
    // The bytes addDataset makes for the same seed: the same blob.
    const bytes = await pngBytes(seed, 4, 1);
    const sha = await s.blobs.put(bytes);
    await s.thumbnails.ensure(sha, bytes);
    shas.push(sha);
  }
  s.datasets.addItems(
    datasetId,
    shas.map((blobSha, i) => ({
      blobSha,
      kind: 'image',
      label: null,
      sourcePath: `${i}.png`,
      format: 'png',
      width: 4,
      height: 4,
      channels: 1,
      byteSize: 1,
    })),
  );
  return shas;
}

describe('collectGarbage', () => {
  it("sweeps an interrupted import's blobs and thumbnails, keeps referenced and fresh ones", async () => {
    const s = open();
    const { blobs, thumbnails } = s;
    const t = { dir: s.dir };
    const now = Date.now();

    const kept = await addDataset(s, 'image', [
      { content: 1, label: null },
      { content: 2, label: null },
    ]);
    const keptShas = s.db
      .prepare('SELECT blob_sha FROM items WHERE dataset_id = ?')
      .pluck()
      .all(kept.datasetId) as string[];
    // Seed 2 is in both: the interrupted import must not take the finished one's blob with it.
    const interrupted = { shas: await beginImport(s, [2, 3, 4]) };
    // A write a crash cut short, in a shard folder of its own.
    const stale = await writeFile(t.dir, `blobs/ab/${'c'.repeat(62)}.0123456789ab.tmp`, 'half');
    age(
      [...keptShas, ...interrupted.shas].flatMap((sha) => [
        blobs.pathOf(sha),
        thumbnails.pathOf(sha),
      ]),
      now,
    );
    age([stale], now);
    // What a start does for an import the killed process never finished.
    expect(s.datasets.removeUnfinishedImports()).toBe(1);
    // An import running right now: written, its row not committed yet.
    const inProgress = await blobs.put(await pngBytes(5, 4, 1));
    await thumbnails.ensure(inProgress, await pngBytes(5, 4, 1));

    const gone = [interrupted.shas[1], interrupted.shas[2]] as string[];
    const dry = await collectGarbage(s.db, t.dir, { dryRun: true, now });
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

    const real = await collectGarbage(s.db, t.dir, { now });
    expect(real.swept).toEqual(dry.swept);
    for (const sha of gone) {
      expect(blobs.has(sha)).toBe(false);
      expect(existsSync(thumbnails.pathOf(sha))).toBe(false);
    }
    expect(existsSync(stale)).toBe(false);
    for (const sha of [...keptShas, inProgress]) {
      expect(blobs.has(sha)).toBe(true);
      expect(existsSync(thumbnails.pathOf(sha))).toBe(true);
    }
    expect((await collectGarbage(s.db, t.dir, { now })).files).toBe(0);
  });

  it("sweeps a run's folder once its run has no record, and stale temporary files under runs/ and cache/", async () => {
    const s = open();
    const t = { dir: s.dir };
    const { datasetId, versionId } = await addDataset(s, 'text', [{ content: 'a', label: null }]);
    const runId = Number(
      s.db
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

    const report = await collectGarbage(s.db, t.dir, { now });
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
    const s = open();
    const { blobs } = s;
    const t = { dir: s.dir };
    const bytes = Buffer.from('an orphan that is about to be imported again');
    const sha = await blobs.put(bytes);
    const now = Date.now();
    age([blobs.pathOf(sha)], now);
    await blobs.putWithSha(sha, bytes);
    const report = await collectGarbage(s.db, t.dir, { now: now + 1 });
    expect(report.files).toBe(0);
    expect(blobs.has(sha)).toBe(true);
  });
});
