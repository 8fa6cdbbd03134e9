import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  addDataset,
  labeledImages,
  openTestStudio,
  type TestStudio,
} from '../datasets/testing/testStudio';
import { AuditRepository } from './auditRepository';
import { qualitySummary } from './summary';
import type { DraftFinding } from './types';

// The audit of a version with synthetic items (made from generated samples) counts them and marks
// each finding member that is one.
let studio: TestStudio;
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

describe('the audit of a version with synthetic items', () => {
  it('counts them in its summary and marks the finding members that are synthetic', async () => {
    const { datasetId, versionId, itemIds } = await addDataset(
      studio,
      'image',
      labeledImages(['a', 'b'], 3),
    );
    const [real, synthetic] = itemIds as [number, number];
    studio.db
      .prepare(
        `INSERT INTO synthetic_items (item_id, run_id, step, origin, class_source, created_at)
         VALUES (?, 1, 10, 'training', 'chosen', 'now')`,
      )
      .run(synthetic);
    const repository = new AuditRepository(studio.db);
    const finding: DraftFinding = {
      type: 'exact-duplicate',
      detail: 'bytes',
      severity: 'high',
      score: 1,
      title: 'copies',
      action: 'keep-one',
      members: [
        { itemId: real, sourcePath: '/p/real', role: 'keep' },
        { itemId: synthetic, sourcePath: '/p/synthetic', role: 'duplicate' },
      ],
      evidence: {},
    };
    const auditId = repository.beginRun(datasetId, versionId, {});
    const quality = qualitySummary([finding], 6);
    repository.completeRun(auditId, {
      findings: [finding],
      uniqueness: new Map(),
      itemCount: 6,
      computedCount: 6,
      score: quality.score,
      summary: { counts: quality.counts, affectedItems: quality.affectedItems, durationMs: 1 },
    });
    expect(repository.summary(auditId)?.syntheticCount).toBe(1);
    expect(repository.latestSummary(datasetId)?.syntheticCount).toBe(1);
    expect(repository.history(datasetId)[0]?.summary.syntheticCount).toBe(1);
    // Per class too, so the audit shows which class was topped up.
    const label = studio.versions.rows(versionId).find((row) => row.itemId === synthetic)?.label;
    expect(repository.summary(auditId)?.syntheticPerClass).toEqual([
      { label: label ?? null, count: 1 },
    ]);
    const [stored] = repository.findings(auditId, versionId);
    expect(stored?.members.map((m) => [m.itemId, m.synthetic])).toEqual([
      [real, false],
      [synthetic, true],
    ]);
  });
});
