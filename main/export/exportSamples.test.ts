import { promises as fs } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { SampleGallery } from '../gallery/sampleQuery';
import { RunRepository } from '../runs/runRepository';
import { writeImageSamples, writeTextSamples } from '../runs/sampleWriter';
import { tempDir } from '../testing/fixtures';
import { exportSamples, type ProvenanceEntry } from './exportSamples';

// Samples written as training writes them (real PNG and text files, real rows), exported.
let dataDir: string;
let cleanup: () => Promise<void>;
let gallery: SampleGallery;
let imageIds: number[];
let textIds: number[];

beforeEach(async () => {
  ({ dir: dataDir, cleanup } = tempDir());
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'digits', 'image', '/d', 'ready', 'now'), (2, 'poems', 'text', '/p', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 3, 'curated', 'now'), (2, 2, 1, 'imported', 'now');`);
  const runs = new RunRepository(db);
  gallery = new SampleGallery(db);
  const imageRun = runs.create({
    datasetId: 1,
    versionId: 1,
    family: 'dcgan',
    presetId: 'dcgan-tiny',
    config: {},
    totalSteps: 20,
  });
  const textRun = runs.create({
    datasetId: 2,
    versionId: 2,
    family: 'char-rnn',
    presetId: 'char-rnn-tiny',
    config: {},
    totalSteps: 20,
  });
  const pixels = (v: number) => ({
    width: 2,
    height: 2,
    channels: 1,
    pixels: new Uint8Array(4).fill(v),
  });
  const images = await writeImageSamples(dataDir, imageRun, 20, [pixels(10), pixels(200)], 0, {
    seed: 5,
    classLabels: ['cat', 'dog'],
  });
  imageIds = runs.addSamples(imageRun, images);
  const texts = await writeTextSamples(dataDir, textRun, 20, ['roses are', 'violets'], 0, {
    seed: 3,
    origin: 'text',
    prompt: 'ro',
    temperature: 0.5,
    topK: 4,
    topP: 0.9,
  });
  textIds = runs.addSamples(textRun, texts);
  gallery.rate([imageIds[1]!], 'starred');
});

afterEach(() => cleanup());

describe('exportSamples', () => {
  it('writes the files, a provenance.json describing each one, and the same into the ZIP', async () => {
    const folder = path.join(dataDir, 'out', 'chosen');
    const result = await exportSamples({ dataDir, gallery }, [imageIds[1]!, textIds[0]!], folder);
    const names = (await fs.readdir(folder)).sort();
    expect(names).toEqual([
      'provenance.json',
      'run-1-step-20-01.png',
      'run-2-step-20-00.txt',
      'samples.jsonl',
    ]);
    const provenance = JSON.parse(
      await fs.readFile(path.join(folder, 'provenance.json'), 'utf8'),
    ) as {
      samples: ProvenanceEntry[];
    };
    expect(provenance.samples).toEqual([
      expect.objectContaining({
        file: 'run-1-step-20-01.png',
        sampleId: imageIds[1],
        kind: 'image',
        run: { id: 1, family: 'dcgan', preset: 'dcgan-tiny' },
        dataset: { id: 1, name: 'digits', versionId: 1, version: 3 },
        step: 20,
        index: 1,
        rating: 'starred',
        provenance: expect.objectContaining({ seed: 5, latentIndex: 1, classLabel: 'dog' }),
        evaluation: null,
      }),
      expect.objectContaining({
        file: 'run-2-step-20-00.txt',
        kind: 'text',
        provenance: expect.objectContaining({
          origin: 'text',
          seed: 3,
          prompt: 'ro',
          temperature: 0.5,
          topK: 4,
          topP: 0.9,
        }),
      }),
    ]);
    const jsonl = (await fs.readFile(path.join(folder, 'samples.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(jsonl.map((line) => (JSON.parse(line) as { text: string }).text)).toEqual(['roses are']);
    const zipped = unzipSync(await fs.readFile(result.zipPath));
    expect(Object.keys(zipped).sort()).toEqual(names);
    expect(Buffer.from(zipped['run-1-step-20-01.png']!)).toEqual(
      await fs.readFile(path.join(folder, 'run-1-step-20-01.png')),
    );
  });

  it('refuses an unknown sample and writes nothing', async () => {
    const folder = path.join(dataDir, 'out', 'none');
    await expect(exportSamples({ dataDir, gallery }, [imageIds[0]!, 999], folder)).rejects.toThrow(
      /Sample 999/,
    );
    await expect(fs.stat(folder)).rejects.toThrow();
  });
});
