import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVersionComparison } from '../cli/commands/compareVersions';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';
import { shareChangeError } from './shareChange';
import { importCleanedFixture, type CleanedDataset } from './testing/cleaningFixture';

// What cleaning bought, end to end over the real ML worker: the seeded fixture's raw version
// (a few digits copied many times, a starved class) and the version the studio's own audit fixes
// make of it, the same tiny preset trained on both with one seed and budget, both judged by one
// judge, and each version's audit findings reported.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

let core: StudioCore;
let cleanup: () => Promise<void>;
let data: CleanedDataset;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir('studio-compare-versions-');
  cleanup = t.cleanup;
  core = new StudioCore({
    dataDir: path.join(t.dir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
    evaluation: { imageSamples: 64, featureNetworkSteps: 60 },
  });
  data = await importCleanedFixture(core, path.join(t.dir, 'digits'), {
    perClass: 14,
    starvedCount: 3,
    duplicatedItems: 2,
    copiesPerItem: 10,
  });
}, 600_000);

afterAll(async () => {
  await core?.close();
  await cleanup?.();
});

describe('compareVersions', () => {
  it('cleans the fixture with the audit fixes: no duplicate left, the starved class rebalanced', () => {
    const rawCounts = data.rawAudit.summary.counts;
    expect(rawCounts['exact-duplicate']).toBe(data.fixture.duplicated.length);
    expect(rawCounts['class-imbalance'] ?? 0).toBeGreaterThan(0);
    const cleanedCounts = data.cleanedAudit.summary.counts;
    expect(cleanedCounts['exact-duplicate'] ?? 0).toBe(0);
    expect(data.note).toMatch(/duplicate/);
  });

  it('trains one preset, seed and budget on both versions and judges both by one judge', async () => {
    const { datasetId, raw, cleaned } = data;
    const report = await core.handlers['runs:compareVersions']({
      datasetId,
      versionIds: [raw, cleaned],
      presetId: 'conv-vae-tiny',
      steps: 30,
      seed: 5,
    });
    process.stdout.write(`${describeVersionComparison(report)}\n`);

    const [a, b] = report.versions;
    expect([a.versionId, b.versionId]).toEqual([raw, cleaned]);
    for (const v of report.versions) {
      expect(v.run).toMatchObject({ status: 'completed', step: 30, totalSteps: 30 });
      expect(v.run.versionId).toBe(v.versionId);
      expect(v.seed).toBe(5);
    }
    expect(report.seed).toBe(5);

    // The judge is the cleaned version's: its items, a classifier over its classes, a near-copy
    // threshold above 0, the starved class, and every item of the raw version's duplicate groups.
    const reference = core.versions.getVersion(cleaned);
    expect(report.judge).toMatchObject({
      referenceVersionId: cleaned,
      featureNetwork: 'classifier',
      scarceClass: data.fixture.starvedClass,
    });
    expect(report.judge.trainItems + report.judge.validationItems).toBe(reference.itemCount);
    expect(report.judge.copyThreshold).toBeGreaterThan(0);
    const copies = data.fixture.duplicated.reduce((n, d) => n + d.copies.length, 0);
    expect(report.judge.duplicatedItems).toBeGreaterThanOrEqual(copies);

    // One judge: the run on the reference version gets from it exactly the figures its own
    // evaluation gave (same feature network, validation items and noise), the other run not.
    const judged = (name: string) => report.metrics.find((m) => m.name === name);
    const own = (name: string) => report.ownMetrics.find((m) => m.name === name);
    for (const name of ['frechet_distance', 'near_copy_share', 'coverage']) {
      expect(judged(name)?.b).toBeCloseTo(own(`eval_${name}`)?.b ?? Number.NaN, 6);
    }
    expect(judged('frechet_distance')?.a).not.toBeCloseTo(
      own('eval_frechet_distance')?.a ?? Number.NaN,
      6,
    );
    for (const name of [
      'near_copy_share',
      'duplicated_item_share',
      'scarce_class_coverage',
      'class_distance_from_uniform',
    ]) {
      const m = judged(name);
      expect(m?.a, name).toBeGreaterThanOrEqual(0);
      expect(m?.b, name).toBeGreaterThanOrEqual(0);
      expect(m?.change).toBeCloseTo((m?.b ?? 0) - (m?.a ?? 0));
    }
    // A share of the samples carries the judge's sampling error by its count; FID and KID by
    // resampling each run's samples; the manifold figures carry none.
    const duplicated = judged('duplicated_item_share');
    expect(duplicated?.changeError).toBeCloseTo(
      shareChangeError(duplicated?.a ?? 0, duplicated?.b ?? 0, report.judge.sampleCount),
      12,
    );
    for (const name of ['frechet_distance', 'kid']) {
      const m = judged(name);
      expect(m?.changeError, name).toBeGreaterThan(0);
      expect(m?.changeError ?? Infinity, name).toBeLessThan(Math.max(m?.a ?? 0, m?.b ?? 0));
    }
    expect(judged('precision')?.changeError).toBeNull();
    expect(judged('scarce_class_soft_coverage')?.b).toBeGreaterThanOrEqual(0);
    expect(judged('scarce_class_coverage')?.better).toBe('higher');
    expect(judged('duplicated_item_share')?.better).toBe('lower');

    expect(a.audit?.auditId).toBe(data.rawAudit.summary.auditId);
    expect(b.audit?.auditId).toBe(data.cleanedAudit.summary.auditId);
    expect(describeVersionComparison(report)).toContain(
      `exact-duplicate ${data.fixture.duplicated.length}`,
    );
  }, 600_000);

  it('refuses a reference version that is not one of the two', async () => {
    await expect(
      core.handlers['runs:compareVersions']({
        datasetId: data.datasetId,
        versionIds: [data.raw, data.cleaned],
        presetId: 'conv-vae-tiny',
        steps: 1,
        referenceVersionId: data.cleaned + 100,
      }),
    ).rejects.toThrow(/must be one of the two/);
  });
});
