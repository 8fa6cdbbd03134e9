import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../db/connection';
import { SampleGallery } from '../../gallery/sampleQuery';
import { RunRepository } from '../../runs/runRepository';
import { writeImageSamples } from '../../runs/sampleWriter';
import { pngBytes, tempDir, writeFile } from '../../testing/fixtures';
import { main } from '../studio';

// `studio add-to-dataset` over a real import and real sample files (written as training writes
// them, so no ML worker is needed), through the same calls as the gallery.

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function studio(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'studio', ...args]);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

/** A dataset imported by the CLI and a run with three samples, two of them starred. */
async function datasetWithStarredSamples(): Promise<{ dataDir: string; sampleIds: number[] }> {
  const { dir, cleanup } = tempDir('studio-cli-augment-');
  cleanups.push(cleanup);
  const folder = path.join(dir, 'shapes');
  for (let i = 0; i < 4; i++) {
    await writeFile(folder, `circle/${i}.png`, await pngBytes(i));
    await writeFile(folder, `square/${i}.png`, await pngBytes(10 + i));
  }
  const dataDir = path.join(dir, 'd');
  expect((await studio('import', folder, '--data-dir', dataDir, '--json')).code).toBe(0);
  const db = openDatabase(path.join(dataDir, 'studio.db'));
  try {
    const runs = new RunRepository(db);
    const runId = runs.create({
      datasetId: 1,
      versionId: 1,
      family: 'conv-vae',
      presetId: 'conv-vae-tiny',
      config: {},
      totalSteps: 10,
    });
    const pixels = (v: number) => ({
      width: 8,
      height: 8,
      channels: 1,
      pixels: new Uint8Array(64).fill(v),
    });
    const written = await writeImageSamples(
      dataDir,
      runId,
      10,
      [pixels(5), pixels(99), pixels(200)],
      0,
      {
        seed: 1,
      },
    );
    const sampleIds = runs.addSamples(runId, written);
    new SampleGallery(db).rate(sampleIds.slice(0, 2), 'starred');
    return { dataDir, sampleIds };
  } finally {
    db.close();
  }
}

describe('studio add-to-dataset', () => {
  it("adds a run's starred samples to a new version as synthetic items of the class given", async () => {
    const { dataDir } = await datasetWithStarredSamples();
    const missingClass = await studio('add-to-dataset', '--run', '1', '--data-dir', dataDir);
    expect(missingClass.code).toBe(2);
    expect(missingClass.err).toMatch(/pass --class with one of circle \(4\), square \(4\)/);

    const added = await studio(
      'add-to-dataset',
      '--run',
      '1',
      '--class',
      'square',
      '--data-dir',
      dataDir,
      '--json',
    );
    expect(added.code).toBe(0);
    const result = JSON.parse(added.out) as {
      version: { number: number; itemCount: number; syntheticCount: number };
      perClass: { label: string; count: number }[];
    };
    expect(result.version).toMatchObject({ number: 2, itemCount: 10, syntheticCount: 2 });
    expect(result.perClass).toEqual([{ label: 'square', count: 2 }]);

    const human = await studio(
      'add-to-dataset',
      '--samples',
      '3',
      '--class',
      'circle',
      '--data-dir',
      dataDir,
    );
    expect(human.code).toBe(0);
    expect(human.out).toMatch(/"shapes" v3: 11 items, 3 synthetic \(circle 1, square 2\)/);
  });

  it('says so when the run has nothing starred, or the class is unknown', async () => {
    const { dataDir } = await datasetWithStarredSamples();
    const noRun = await studio('add-to-dataset', '--data-dir', dataDir);
    expect(noRun.err).toMatch(/Name the run/);
    const unknownClass = await studio(
      'add-to-dataset',
      '--run',
      '1',
      '--class',
      'hexagon',
      '--data-dir',
      dataDir,
    );
    expect(unknownClass.code).toBe(2);
    expect(unknownClass.err).toMatch(/"hexagon" is not a class of this dataset/);
  });
});
