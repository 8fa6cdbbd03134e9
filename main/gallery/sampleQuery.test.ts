import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate } from '../db/migrate';
import { SampleEvidenceRepository } from '../evaluation/sampleEvidence';
import { RunRepository, type NewSample } from '../runs/runRepository';
import { SampleGroupQuery } from './sampleGroups';
import { SampleGallery } from './sampleQuery';

// The gallery's query over real migrated tables, with rows written by the run repository as
// training writes them: two datasets, three runs, samples at several steps.
let db: Database.Database;
let gallery: SampleGallery;
let runs: RunRepository;
let runIds: number[];

function samplesAt(steps: number[], perStep: number, labels?: string[]): NewSample[] {
  return steps.flatMap((step) =>
    Array.from({ length: perStep }, (_, index) => ({
      kind: 'image' as const,
      step,
      index,
      filePath: `runs/x/step-${step}-${index}.png`,
      width: 8,
      height: 8,
      provenance: { seed: 7, latentIndex: index, classLabel: labels?.[index] ?? null },
    })),
  );
}

beforeEach(() => {
  db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  db.exec(`INSERT INTO datasets (id, name, kind, source_path, status, created_at)
             VALUES (1, 'digits', 'image', '/d', 'ready', 'now'), (2, 'faces', 'image', '/f', 'ready', 'now');
           INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
             VALUES (1, 1, 1, 'imported', 'now'), (2, 1, 2, 'curated', 'now'), (3, 2, 1, 'imported', 'now');`);
  runs = new RunRepository(db);
  gallery = new SampleGallery(db);
  const run = (datasetId: number, versionId: number, family: 'conv-vae' | 'dcgan') =>
    runs.create({
      datasetId,
      versionId,
      family,
      presetId: `${family}-tiny`,
      config: {},
      totalSteps: 40,
    });
  runIds = [run(1, 1, 'conv-vae'), run(1, 2, 'dcgan'), run(2, 3, 'conv-vae')];
  runs.addSamples(runIds[0]!, samplesAt([10, 20, 30, 40], 4));
  runs.addSamples(runIds[1]!, samplesAt([20, 40], 4, ['a', 'b', 'a', 'b']));
  runs.addSamples(runIds[2]!, samplesAt([40], 2));
});

describe('SampleGallery.query', () => {
  it('pages through every sample newest run first, then newest step, then index', () => {
    const first = gallery.query({ limit: 5 });
    expect(first.total).toBe(16 + 8 + 2);
    expect(first.samples.map((s) => [s.runId, s.step, s.index])).toEqual([
      [runIds[2], 40, 0],
      [runIds[2], 40, 1],
      [runIds[1], 40, 0],
      [runIds[1], 40, 1],
      [runIds[1], 40, 2],
    ]);
    const all = [0, 5, 10, 15, 20, 25].flatMap(
      (offset) => gallery.query({ offset, limit: 5 }).samples,
    );
    expect(new Set(all.map((s) => s.id)).size).toBe(26);
    expect(gallery.query({ offset: 25, limit: 5 }).samples).toHaveLength(1);
  });

  it('filters by dataset, run, family and step range, and counts what matches', () => {
    expect(gallery.query({ datasetId: 2 }).total).toBe(2);
    expect(gallery.query({ runIds: [runIds[0]!, runIds[2]!] }).total).toBe(18);
    expect(gallery.query({ family: 'dcgan' }).total).toBe(8);
    const ranged = gallery.query({ runIds: [runIds[0]!], minStep: 20, maxStep: 30 });
    expect(ranged.total).toBe(8);
    expect(new Set(ranged.samples.map((s) => s.step))).toEqual(new Set([20, 30]));
    expect(gallery.query({ datasetId: 1, family: 'conv-vae', minStep: 40 }).total).toBe(4);
  });

  it('carries the provenance the gallery shows: run, version, seed, latent index, class', () => {
    const [sample] = gallery.query({ family: 'dcgan', limit: 2, offset: 1 }).samples;
    expect(sample).toMatchObject({
      runId: runIds[1],
      datasetName: 'digits',
      versionNumber: 2,
      family: 'dcgan',
      presetId: 'dcgan-tiny',
      step: 40,
      index: 1,
      rating: null,
      provenance: { origin: 'training', seed: 7, latentIndex: 1, classLabel: 'b', prompt: null },
    });
  });
});

describe('SampleGallery.query with evaluations', () => {
  it('returns the nearest training item beside each evaluated sample, and null for the rest', () => {
    db.exec(`INSERT INTO items (id, dataset_id, blob_sha, kind, label, source_path, format, width,
               height, channels, byte_size)
             VALUES (5, 1, 'aa11', 'image', 'a', 'a/1.png', 'png', 8, 8, 1, 10),
                    (6, 1, 'bb22', 'image', 'b', 'b/1.png', 'png', 8, 8, 1, 10);`);
    const judged = gallery.query({ runIds: [runIds[1]!], limit: 2 }).samples.map((s) => s.id);
    new SampleEvidenceRepository(db).record([
      {
        kind: 'image',
        sampleId: judged[0]!,
        step: 40,
        nearestItemId: 5,
        nearestBlobSha: 'aa11',
        featureDistance: 0.5,
        distanceRatio: 0.25,
        nearCopy: true,
        pixelItemId: 6,
        pixelBlobSha: 'bb22',
        pixelRms: 0.1,
      },
      {
        kind: 'image',
        sampleId: judged[1]!,
        step: 40,
        nearestItemId: 6,
        nearestBlobSha: 'bb22',
        featureDistance: 3,
        // An unknown ratio (no validation yardstick) is stored as unknown, not as NaN.
        distanceRatio: Number.NaN,
        nearCopy: false,
        pixelItemId: null,
        pixelBlobSha: null,
        pixelRms: null,
      },
    ]);
    const page = gallery.query({ runIds: [runIds[1]!], limit: 3 });
    expect(page.samples.map((s) => s.evaluation)).toEqual([
      {
        kind: 'image',
        step: 40,
        nearestItemId: 5,
        nearestBlobSha: 'aa11',
        featureDistance: 0.5,
        distanceRatio: 0.25,
        nearCopy: true,
        pixelItemId: 6,
        pixelBlobSha: 'bb22',
        pixelRms: 0.1,
        // Recorded without a classifier's guess: none is made up.
        predictedClass: null,
      },
      expect.objectContaining({ nearestItemId: 6, distanceRatio: null, nearCopy: false }),
      null,
    ]);
    expect(gallery.samples([judged[0]!])[0]?.evaluation).toMatchObject({ nearestItemId: 5 });
    // Only evaluated samples, or only the others, and the counts agree with the pages.
    const evaluated = gallery.query({ evaluated: true });
    expect(evaluated.total).toBe(2);
    expect(evaluated.samples.map((s) => s.id)).toEqual(judged);
    expect(gallery.query({ evaluated: false }).total).toBe(24);
    expect(gallery.query({ evaluated: true, family: 'conv-vae' }).total).toBe(0);
  });

  it('returns the copied stretch of an evaluated text sample, and the newest evidence only', () => {
    const [textId] = runs.addSamples(runIds[0]!, [
      {
        kind: 'text',
        text: 'the cat sat',
        step: 50,
        index: 0,
        filePath: 'runs/x/step-50-0.txt',
        width: 0,
        height: 0,
        provenance: { origin: 'text', seed: 1234, prompt: '' },
      },
    ]);
    const evidence = new SampleEvidenceRepository(db);
    evidence.record([{ kind: 'text', sampleId: textId!, step: 50, copyStart: 0, copyEnd: 3 }]);
    evidence.record([{ kind: 'text', sampleId: textId!, step: 60, copyStart: 4, copyEnd: 11 }]);
    const [sample] = gallery.samples([textId!]);
    expect(sample?.evaluation).toEqual({ kind: 'text', step: 60, copyStart: 4, copyEnd: 11 });
    expect(sample?.provenance.origin).toBe('text');
  });

  it('says which checkpoint step the run would be evaluated at', () => {
    runs.setCheckpoint(runIds[2]!, 'runs/3/checkpoints', 40);
    const [sample] = gallery.query({ runIds: [runIds[2]!], limit: 1 }).samples;
    expect(sample?.runCheckpointStep).toBe(40);
    expect(gallery.query({ runIds: [runIds[0]!], limit: 1 }).samples[0]?.runCheckpointStep).toBe(
      null,
    );
  });
});

describe('SampleGallery.rate', () => {
  it('stores stars and rejections per sample, filters by them, and clears them', () => {
    const ids = gallery.query({ runIds: [runIds[0]!], limit: 3 }).samples.map((s) => s.id);
    expect(gallery.rate(ids.slice(0, 2), 'starred')).toBe(2);
    expect(gallery.rate([ids[2]!], 'rejected')).toBe(1);
    expect(gallery.query({ rating: 'starred' }).samples.map((s) => s.id)).toEqual(ids.slice(0, 2));
    expect(gallery.query({ rating: 'rejected' }).samples.map((s) => s.id)).toEqual([ids[2]]);
    expect(gallery.query({ rating: 'unrated' }).total).toBe(23);
    expect(gallery.query({ rating: 'kept' }).total).toBe(25);
    expect(gallery.samples([ids[0]!])[0]?.rating).toBe('starred');

    gallery.rate([ids[0]!], null);
    expect(gallery.query({ rating: 'starred' }).total).toBe(1);
    // A sample that does not exist changes nothing.
    expect(gallery.rate([99_999], 'starred')).toBe(0);
  });
});

describe('SampleGroupQuery.groups', () => {
  /** Every page of the filtered samples, as the grid reads them. */
  const everySample = (filters: Parameters<SampleGallery['query']>[0]) =>
    gallery.query({ ...filters, limit: 1000 }).samples;

  it('says where each (run, step) group starts in the page order, with its count', () => {
    const groups = new SampleGroupQuery(db).groups({});
    expect(groups.groups.map((g) => [g.runId, g.step, g.count])).toEqual([
      [runIds[2], 40, 2],
      [runIds[1], 40, 4],
      [runIds[1], 20, 4],
      [runIds[0], 40, 4],
      [runIds[0], 30, 4],
      [runIds[0], 20, 4],
      [runIds[0], 10, 4],
    ]);
    expect(groups.total).toBe(gallery.query({ limit: 1 }).total);
    // Group g holds exactly the samples from the sum of the counts before it.
    const samples = everySample({});
    let start = 0;
    for (const group of groups.groups) {
      const members = samples.slice(start, start + group.count);
      expect(members.every((s) => s.runId === group.runId && s.step === group.step)).toBe(true);
      const next = samples[start + group.count];
      if (next) expect([next.runId, next.step]).not.toEqual([group.runId, group.step]);
      start += group.count;
    }
    expect(start).toBe(samples.length);
    expect(groups.groups[1]).toMatchObject({
      runName: null,
      family: 'dcgan',
      presetId: 'dcgan-tiny',
      datasetName: 'digits',
      versionNumber: 2,
      evaluation: null,
    });
  });

  it('counts only what the filters let through, as the page does', () => {
    const query = new SampleGroupQuery(db);
    const ids = gallery.query({ runIds: [runIds[0]!], limit: 6 }).samples.map((s) => s.id);
    gallery.rate([ids[0]!, ids[5]!], 'starred');
    const starred = query.groups({ rating: 'starred' });
    expect(starred.groups.map((g) => [g.runId, g.step, g.count])).toEqual([
      [runIds[0], 40, 1],
      [runIds[0], 30, 1],
    ]);
    const ranged = query.groups({ minStep: 20, maxStep: 30, family: 'conv-vae' });
    expect(ranged.groups.map((g) => [g.step, g.count])).toEqual([
      [30, 4],
      [20, 4],
    ]);
    expect(ranged.total).toBe(
      gallery.query({ minStep: 20, maxStep: 30, family: 'conv-vae' }).total,
    );
    expect(query.groups({ evaluated: true })).toEqual({ total: 0, groups: [] });
    expect(query.groups({ datasetId: 99 })).toEqual({ total: 0, groups: [] });
  });

  it("carries the run's name and its newest evaluation's headline figures", () => {
    runs.annotate(runIds[1]!, { name: 'wide dcgan' });
    runs.recordProgress(runIds[1]!, 20, { eval_frechet_distance: 90, eval_val_bpc: 3, loss: 1 });
    runs.recordProgress(runIds[1]!, 40, { eval_frechet_distance: 40, eval_precision: 0.5 });
    const [group] = new SampleGroupQuery(db).groups({ runIds: [runIds[1]!] }).groups;
    expect(group?.runName).toBe('wide dcgan');
    // The figures are the newest evaluation's only, in the headline order; the loss is not one.
    expect(group?.evaluation).toEqual({
      step: 40,
      figures: [
        { name: 'frechet_distance', value: 40 },
        { name: 'precision', value: 0.5 },
      ],
    });
  });
});
