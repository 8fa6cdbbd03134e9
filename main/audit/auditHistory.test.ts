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

let studio: TestStudio;
beforeEach(() => {
  studio = openTestStudio();
});
afterEach(async () => {
  await studio.cleanup();
});

const duplicateOf = (keep: number, copy: number): DraftFinding => ({
  type: 'exact-duplicate',
  detail: 'bytes',
  severity: 'high',
  score: 1,
  title: 'copies',
  action: 'keep-one',
  members: [
    { itemId: keep, sourcePath: `/p/${keep}`, role: 'keep' },
    { itemId: copy, sourcePath: `/p/${copy}`, role: 'duplicate' },
  ],
  evidence: {},
});

/** Writes a completed audit of a version with these findings, as the audit would. */
function audit(
  repository: AuditRepository,
  datasetId: number,
  versionId: number,
  findings: DraftFinding[],
) {
  const auditId = repository.beginRun(datasetId, versionId, {});
  const quality = qualitySummary(findings, 10);
  repository.completeRun(auditId, {
    findings,
    uniqueness: new Map(),
    itemCount: 10,
    computedCount: 10,
    score: quality.score,
    summary: { counts: quality.counts, affectedItems: quality.affectedItems, durationMs: 1 },
  });
  return auditId;
}

describe('the quality history of a dataset', () => {
  it('lists each audited version once, oldest first, with its newest completed audit', async () => {
    const { datasetId, versionId, itemIds } = await addDataset(
      studio,
      'image',
      labeledImages(['a', 'b'], 5),
    );
    const [a, b, c, d] = itemIds as [number, number, number, number];
    const repository = new AuditRepository(studio.db);
    expect(repository.history(datasetId)).toEqual([]);

    audit(repository, datasetId, versionId, [duplicateOf(a, b)]);
    const newest = audit(repository, datasetId, versionId, [duplicateOf(a, b), duplicateOf(c, d)]);
    const fixed = studio.service.changeItems(
      datasetId,
      versionId,
      { exclude: [b, d], relabel: new Map() },
      'Audit fix: 2 duplicates excluded',
    );
    // A version whose audit was cancelled has no known quality.
    const cancelled = repository.beginRun(datasetId, fixed.id, {});
    repository.endRun(cancelled, 'cancelled', 'The audit was cancelled.', 8, 0);
    expect(repository.history(datasetId).map((q) => q.versionNumber)).toEqual([1]);
    const after = audit(repository, datasetId, fixed.id, []);

    const history = repository.history(datasetId);
    expect(history.map((q) => [q.versionNumber, q.summary.auditId, q.summary.counts])).toEqual([
      [1, newest, { 'exact-duplicate': 2 }],
      [2, after, {}],
    ]);
    expect(history[1]?.note).toBe('Audit fix: 2 duplicates excluded');
    expect(history[1]?.summary.score).toBe(100);
    expect(history[0]?.summary.score).toBeLessThan(100);
  });
});
