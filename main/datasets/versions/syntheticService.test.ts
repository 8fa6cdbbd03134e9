import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioFailure } from '../../common/failure';
import { SampleGallery } from '../../gallery/sampleQuery';
import { RunRepository } from '../../runs/runRepository';
import { writeImageSamples, writeTextSamples } from '../../runs/sampleWriter';
import { loadTrainingData, loadTrainingShape } from '../prepare/trainingData';
import { addDataset, labeledImages, openTestStudio, type TestStudio } from '../testing/testStudio';
import { SyntheticRepository } from './syntheticRepository';
import { SyntheticService } from './syntheticService';

// Real items, real sample files written as training writes them, real rows: generated samples
// become items of a new version, and training can leave them out.
let studio: TestStudio;
let runs: RunRepository;
let synthetic: SyntheticRepository;
let service: SyntheticService;

beforeEach(() => {
  studio = openTestStudio();
  runs = new RunRepository(studio.db);
  synthetic = new SyntheticRepository(studio.db);
  const gallery = new SampleGallery(studio.db);
  service = new SyntheticService({
    dataDir: studio.dir,
    versions: studio.versions,
    synthetic,
    blobs: studio.blobs,
    thumbnails: studio.thumbnails,
    events: studio.events,
    samples: (ids) => gallery.samples(ids),
    summary: (datasetId, versionId) =>
      studio.service.versions(datasetId).find((v) => v.id === versionId)!,
  });
});
afterEach(async () => {
  await studio.cleanup();
});

function newRun(datasetId: number, versionId: number, family: 'conv-vae' | 'char-rnn'): number {
  return runs.create({
    datasetId,
    versionId,
    family,
    presetId: `${family}-tiny`,
    config: {},
    totalSteps: 20,
  });
}

const pixels = (v: number) => ({
  width: 4,
  height: 4,
  channels: 1,
  pixels: new Uint8Array(16).fill(v),
});

async function failure(work: Promise<unknown>): Promise<StudioFailure> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof StudioFailure))
    throw new Error(`expected a StudioFailure, got ${String(error)}`);
  return error;
}

describe('SyntheticService', () => {
  it('makes a new version with the old items and the samples as synthetic items with provenance', async () => {
    const { datasetId, versionId: v1 } = await addDataset(
      studio,
      'image',
      labeledImages(['big', 'small'], 6).slice(0, 8),
    );
    const before = studio.versions.rows(v1);
    const runId = newRun(datasetId, v1, 'conv-vae');
    const written = await writeImageSamples(studio.dir, runId, 20, [pixels(10), pixels(200)], 0, {
      seed: 7,
    });
    const [a, b] = runs.addSamples(runId, written) as [number, number];

    const plan = service.plan([a, b]);
    expect(plan).toMatchObject({
      datasetId,
      baseVersionId: v1,
      baseVersionNumber: 1,
      nextVersionNumber: 2,
      // Smallest class first: the starved one is what a person tops up.
      classes: [
        { label: 'small', count: 2 },
        { label: 'big', count: 6 },
      ],
      suggestedClass: null,
    });
    expect(plan.samples.map((s) => s.needsClass)).toEqual([true, true]);
    // No evaluation judged them, so the classifier has nothing to suggest.
    expect(plan.samples.map((s) => [s.evaluated, s.suggestion])).toEqual([
      [false, null],
      [false, null],
    ]);
    // An unconditional sample of a labelled dataset needs a class.
    expect((await failure(service.addToDataset({ sampleIds: [a, b] }))).message).toMatch(
      /Choose a class for samples/,
    );
    expect(
      (await failure(service.addToDataset({ sampleIds: [a], defaultClass: 'huge' }))).message,
    ).toMatch(/not a class of this dataset/);

    const result = await service.addToDataset({
      sampleIds: [a, b],
      classes: { [String(b)]: 'big' },
      defaultClass: 'small',
      baseVersionId: v1,
    });
    expect(result.version).toMatchObject({
      number: 2,
      parentId: v1,
      itemCount: 10,
      syntheticCount: 2,
    });
    expect(result.version.note).toBe('2 synthetic added from run 1 (small: 1, big: 1)');
    expect(result.perClass).toEqual([
      { label: 'big', count: 1 },
      { label: 'small', count: 1 },
    ]);
    // The parent's items are all there with their labels and split; the synthetic ones train.
    const after = studio.versions.rows(result.version.id);
    expect(after.slice(0, before.length)).toEqual(before);
    const added = after.slice(before.length);
    expect(added.map((r) => [r.label, r.split])).toEqual([
      ['small', 'train'],
      ['big', 'train'],
    ]);
    // The original version is unchanged.
    expect(studio.versions.rows(v1)).toEqual(before);
    expect(studio.service.getVersion(v1).syntheticCount).toBe(0);
    expect(studio.service.getVersion(result.version.id).classes).toContainEqual(
      expect.objectContaining({ label: 'small', count: 3, synthetic: 1 }),
    );

    const provenance = studio.db
      .prepare(
        `SELECT s.sample_id, s.run_id, s.step, s.seed, s.latent_index, s.class_source, s.origin,
           i.kind, i.format, i.width, i.channels, i.blob_sha
         FROM synthetic_items s JOIN items i ON i.id = s.item_id ORDER BY s.sample_id`,
      )
      .all() as Record<string, unknown>[];
    expect(provenance).toMatchObject([
      {
        sample_id: a,
        run_id: runId,
        step: 20,
        seed: 7,
        latent_index: 0,
        class_source: 'chosen',
        origin: 'training',
        kind: 'image',
        format: 'png',
        width: 4,
        channels: 1,
      },
      { sample_id: b, run_id: runId, step: 20, seed: 7, latent_index: 1, class_source: 'chosen' },
    ]);
    // The item's blob (the sample's PNG, grey like the dataset) is stored.
    expect(studio.blobs.has(provenance[0]!.blob_sha as string)).toBe(true);

    // Adding the same samples again changes nothing, so no version is made.
    expect(
      (await failure(service.addToDataset({ sampleIds: [a], defaultClass: 'big' }))).message,
    ).toMatch(/already items of v2/);
    // A stale base version is refused.
    expect(
      (
        await failure(
          service.addToDataset({ sampleIds: [a], defaultClass: 'big', baseVersionId: v1 }),
        )
      ).code,
    ).toBe('conflict');
  });

  it('gives a class-conditional sample the class it was asked for', async () => {
    const { datasetId, versionId } = await addDataset(
      studio,
      'image',
      labeledImages(['cat', 'dog'], 3),
    );
    const runId = newRun(datasetId, versionId, 'conv-vae');
    const written = await writeImageSamples(studio.dir, runId, 40, [pixels(1)], 0, {
      seed: 3,
      classLabels: ['dog'],
    });
    const [id] = runs.addSamples(runId, written) as [number];
    expect(service.plan([id]).samples[0]).toMatchObject({ askedClass: 'dog', needsClass: false });
    const result = await service.addToDataset({ sampleIds: [id] });
    expect(result.perClass).toEqual([{ label: 'dog', count: 1 }]);
    const row = studio.db.prepare('SELECT class_label, class_source FROM synthetic_items').get();
    expect(row).toEqual({ class_label: 'dog', class_source: 'asked' });
  });

  it("turns a text run's samples into text items with their prompt and sampling settings", async () => {
    const { datasetId, versionId } = await addDataset(studio, 'text', [
      { label: null, content: 'roses are red' },
      { label: null, content: 'violets are blue' },
    ]);
    const runId = newRun(datasetId, versionId, 'char-rnn');
    const written = await writeTextSamples(studio.dir, runId, 20, ['sugar is\nsweet'], 0, {
      seed: 3,
      origin: 'text',
      prompt: 'su',
      temperature: 0.5,
      topK: 4,
      topP: 0.9,
    });
    const [id] = runs.addSamples(runId, written) as [number];
    expect(service.plan([id]).samples[0]).toMatchObject({ kind: 'text', needsClass: false });
    const result = await service.addToDataset({ sampleIds: [id] });
    expect(result.version).toMatchObject({ number: 2, itemCount: 3, syntheticCount: 1 });
    const row = studio.db
      .prepare(
        `SELECT i.kind, i.format, i.width, i.height, i.channels, s.prompt, s.temperature, s.top_k,
           s.top_p, s.class_source, i.blob_sha
         FROM synthetic_items s JOIN items i ON i.id = s.item_id`,
      )
      .get() as Record<string, unknown>;
    expect(row).toMatchObject({
      kind: 'text',
      format: 'txt',
      width: 14,
      height: 2,
      channels: 0,
      prompt: 'su',
      temperature: 0.5,
      top_k: 4,
      top_p: 0.9,
      class_source: 'unlabeled',
    });
    expect((await studio.blobs.read(row.blob_sha as string)).toString('utf8')).toBe(
      'sugar is\nsweet',
    );
    // Text training reads the synthetic document too, unless it is left out.
    const deps = {
      versions: studio.versions,
      blobs: studio.blobs,
      cacheDir: `${studio.dir}/cache`,
    };
    const withSynthetic = await loadTrainingData(deps, result.version.id);
    const realOnly = await loadTrainingData(deps, result.version.id, { includeSynthetic: false });
    expect(withSynthetic.kind === 'text' && withSynthetic.train.itemIds.length).toBe(3);
    expect(realOnly.kind === 'text' && realOnly.train.itemIds.length).toBe(2);
  });

  it('refuses samples of runs on two datasets, and unknown samples', async () => {
    const one = await addDataset(studio, 'image', labeledImages(['a'], 2));
    const two = await addDataset(studio, 'image', labeledImages(['a'], 2));
    const first = runs.addSamples(
      newRun(one.datasetId, one.versionId, 'conv-vae'),
      await writeImageSamples(studio.dir, 1, 1, [pixels(1)]),
    );
    const second = runs.addSamples(
      newRun(two.datasetId, two.versionId, 'conv-vae'),
      await writeImageSamples(studio.dir, 2, 1, [pixels(2)]),
    );
    expect(() => service.plan([...first, ...second])).toThrow(/runs on 2 datasets/);
    expect(() => service.plan([999])).toThrow(/Sample 999/);
  });
});

describe('synthetic items in later versions', () => {
  it('keep training (never validation) when a later change splits the version again', async () => {
    const { datasetId, versionId } = await addDataset(studio, 'image', labeledImages(['a'], 4));
    const runId = newRun(datasetId, versionId, 'conv-vae');
    const written = await writeImageSamples(studio.dir, runId, 20, [1, 2, 3, 4].map(pixels));
    const { version } = await service.addToDataset({
      sampleIds: runs.addSamples(runId, written),
      defaultClass: 'a',
    });
    const settings = studio.service.getVersion(version.id).preprocessing;
    const v3 = studio.service.setPreprocessing(datasetId, version.id, {
      ...settings,
      split: { ...settings.split, validationFraction: 0.5 },
    });
    const synthetic = studio.versions.syntheticItemIds(datasetId);
    const rows = studio.versions.rows(v3.id);
    expect(rows.filter((r) => synthetic.has(r.itemId)).map((r) => r.split)).toEqual([
      'train',
      'train',
      'train',
      'train',
    ]);
    // Half of the 4 real items validate, as without the synthetic ones.
    expect(v3).toMatchObject({ itemCount: 8, validationCount: 2, syntheticCount: 4 });
  });
});

describe('training with or without synthetic items', () => {
  it('gives the worker every item, or the real ones only, and caches each apart', async () => {
    const { datasetId, versionId } = await addDataset(
      studio,
      'image',
      labeledImages(['a', 'b'], 4),
    );
    const runId = newRun(datasetId, versionId, 'conv-vae');
    const written = await writeImageSamples(studio.dir, runId, 20, [
      pixels(5),
      pixels(50),
      pixels(90),
    ]);
    const ids = runs.addSamples(runId, written);
    const { version } = await service.addToDataset({ sampleIds: ids, defaultClass: 'b' });
    const deps = {
      versions: studio.versions,
      blobs: studio.blobs,
      cacheDir: `${studio.dir}/cache`,
    };
    const total = (d: Awaited<ReturnType<typeof loadTrainingData>>) =>
      d.train.itemIds.length + d.validation.itemIds.length;

    const all = await loadTrainingData(deps, version.id);
    const real = await loadTrainingData(deps, version.id, { includeSynthetic: false });
    expect(total(all)).toBe(11);
    expect(total(real)).toBe(8);
    // Read again: each comes from its own cache file, with its own items.
    const allAgain = await loadTrainingData(deps, version.id);
    const realAgain = await loadTrainingData(deps, version.id, { includeSynthetic: false });
    expect(allAgain.kind === 'image' && allAgain.fromCache).toBe(true);
    expect(realAgain.kind === 'image' && realAgain.fromCache).toBe(true);
    expect([total(allAgain), total(realAgain)]).toEqual([11, 8]);
    // The data check before training counts the same.
    const shape = await loadTrainingShape(deps, version.id, { includeSynthetic: false });
    expect(shape.trainPerClass.reduce((s, n) => s + n, 0)).toBe(real.train.itemIds.length);
    expect((await loadTrainingShape(deps, version.id)).trainPerClass).toEqual([
      all.train.labels.filter((l) => l === 0).length,
      all.train.labels.filter((l) => l === 1).length,
    ]);
  });
});
