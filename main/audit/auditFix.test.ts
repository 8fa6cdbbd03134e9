import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../preload/contract';
import {
  addDataset,
  finishTestImport,
  labeledImages,
  openTestStudio,
  type TestStudio,
  failureOf,
} from '../datasets/testing/testStudio';
import { AuditFixService, planAuditFix } from './auditFix';
import { AuditService } from './auditService';
import { auditFinding, findingMember, inThreadClassifier, sampleDigit } from './testing/auditKit';

describe('planning an audit fix', () => {
  it('keeps one of each duplicate group, relabels subjects, excludes leaks; says what it did', () => {
    const plan = planAuditFix([
      auditFinding(1, {
        members: [
          findingMember(1, 'keep'),
          findingMember(2, 'duplicate'),
          findingMember(3, 'duplicate'),
        ],
      }),
      auditFinding(2, {
        type: 'label-error',
        action: 'relabel',
        suggestedLabel: '1',
        members: [findingMember(4, 'subject', '7')],
      }),
      auditFinding(3, {
        type: 'leakage',
        action: 'exclude',
        members: [findingMember(5, 'source'), findingMember(6, 'leak')],
      }),
    ]);
    expect([...plan.exclude].sort()).toEqual([2, 3, 6]);
    expect([...plan.relabel]).toEqual([[4, '1']]);
    expect(plan.note).toBe(
      'Audit fix: 2 duplicates excluded, 1 leaked item excluded, 1 relabeled 7→1',
    );
    expect(plan.findingIds).toEqual([1, 2, 3]);
  });

  it('excludes rather than relabels an item two findings name, and skips files that are no item', () => {
    const plan = planAuditFix([
      auditFinding(1, {
        type: 'label-error',
        action: 'relabel',
        suggestedLabel: 'b',
        members: [findingMember(4, 'subject')],
      }),
      auditFinding(2, {
        type: 'outlier',
        action: 'exclude',
        members: [findingMember(4, 'subject')],
      }),
      auditFinding(3, {
        type: 'corrupt',
        action: 'exclude',
        members: [{ ...findingMember(9, 'subject'), itemId: null }],
      }),
    ]);
    expect(plan.exclude).toEqual([4]);
    expect(plan.relabel.size).toBe(0);
    expect(plan.note).toBe('Audit fix: 1 outlier item excluded');
  });

  it('refuses review findings, and fixes that change nothing', () => {
    expect(
      failureOf(() => planAuditFix([auditFinding(1, { type: 'outlier', action: 'review' })])),
    ).toMatchObject({ code: 'invalid-input', message: /not a one-click fix/ });
    expect(
      failureOf(() => planAuditFix([auditFinding(1, { members: [findingMember(1, 'keep')] })])),
    ).toMatchObject({ code: 'invalid-input', message: /no item that a fix would change/ });
  });
});

describe('applying an audit fix', () => {
  let studio: TestStudio;
  beforeEach(() => {
    studio = openTestStudio();
  });
  afterEach(async () => {
    await studio.cleanup();
  });

  const fixer = (report: () => AuditReport): AuditFixService =>
    AuditFixService.over(studio.service, report);

  it('makes one version on the audited one, and refuses with a conflict once the dataset moved on', async () => {
    const { datasetId, versionId, itemIds } = await addDataset(
      studio,
      'image',
      labeledImages(['1', '7'], 5),
    );
    const [a, b, c, d] = itemIds as [number, number, number, number];
    const report: AuditReport = {
      summary: {
        auditId: 1,
        syntheticCount: 0,
        syntheticPerClass: [],
        datasetId,
        versionId,
        status: 'completed',
        message: null,
        startedAt: '',
        finishedAt: '',
        itemCount: 10,
        computedCount: 10,
        score: 90,
        counts: {},
        affectedItems: 3,
        durationMs: 1,
      },
      findings: [
        auditFinding(11, { members: [findingMember(a, 'keep'), findingMember(b, 'duplicate')] }),
        auditFinding(12, {
          members: [findingMember(c, 'keep'), findingMember(d, 'duplicate')],
          score: 0.5,
        }),
        auditFinding(13, {
          type: 'label-error',
          action: 'relabel',
          suggestedLabel: '1',
          members: [findingMember(itemIds[7] as number, 'subject', '7')],
        }),
      ],
    };
    const fixes = fixer(() => report);
    const all = fixes.applyAll(1, 'exact-duplicate', 0.9);
    expect(all.fixedFindingIds).toEqual([11]);
    expect(all.version).toMatchObject({ number: 2, itemCount: 9 });
    expect(all.version.note).toBe('Audit fix: 1 duplicate excluded');

    expect(failureOf(() => fixes.applyFix(1, [13]))).toMatchObject({
      code: 'conflict',
      message: 'This audit is of v1, but the dataset is at v2 now. Run the audit again, then fix.',
    });
    expect(studio.service.versions(datasetId)).toHaveLength(2);

    const fresh = fixer(() => ({
      ...report,
      summary: { ...report.summary, versionId: all.version.id },
    }));
    const relabeled = fresh.applyFix(1, [12, 13]);
    expect(relabeled.version).toMatchObject({ number: 3, itemCount: 8 });
    expect(relabeled.note).toBe('Audit fix: 1 duplicate excluded, 1 relabeled 7→1');
    const classes = studio.service.getVersion(relabeled.version.id).classes;
    expect(classes.map((k) => [k.label, k.count])).toEqual([
      ['1', 4],
      ['7', 4],
    ]);
    expect(failureOf(() => fresh.applyFix(1, [99]))).toMatchObject({ code: 'not-found' });
    expect(failureOf(() => fresh.applyAll(1, 'blank'))).toMatchObject({
      code: 'invalid-input',
      message: 'Audit 1 has no blank finding to fix.',
    });
  });

  it('fixes the exact duplicates a real audit finds, whose members carry their blob', async () => {
    // Real digits: the audit rightly calls seeded random pixels noise, not duplicates.
    const digits = [0, 1, 2, 3].flatMap((label) => [0, 1, 2].map((index) => ({ label, index })));
    digits.push({ label: 2, index: 0 }, { label: 2, index: 0 });
    const datasetId = studio.datasets.beginDataset('digits', 'image', '/digits');
    const rows = [];
    for (const [n, { label, index }] of digits.entries()) {
      const bytes = sampleDigit(label, index);
      rows.push({
        blobSha: await studio.blobs.put(bytes),
        kind: 'image' as const,
        label: String(label),
        sourcePath: `/digits/${label}/${n}.png`,
        format: 'png',
        width: 28,
        height: 28,
        channels: 1,
        byteSize: bytes.length,
      });
    }
    studio.datasets.addItems(datasetId, rows);
    finishTestImport(studio, datasetId);
    const audits = new AuditService({
      db: studio.db,
      blobs: studio.blobs,
      events: studio.events,
      classifier: inThreadClassifier,
    });
    const done = await audits.waitFor(audits.start(datasetId).auditId);
    expect(done.status).toBe('completed');
    const duplicate = audits.get(done.auditId).findings.find((f) => f.type === 'exact-duplicate');
    expect(duplicate?.members.map((m) => m.role)).toEqual(['keep', 'duplicate', 'duplicate']);
    expect(duplicate?.members[0]?.blobSha).toMatch(/^[0-9a-f]{64}$/);
    const result = fixer(() => audits.get(done.auditId)).applyAll(done.auditId, 'exact-duplicate');
    expect(result.version).toMatchObject({ number: 2, itemCount: digits.length - 2 });
    expect(result.note).toBe('Audit fix: 2 duplicates excluded');
  });
});
