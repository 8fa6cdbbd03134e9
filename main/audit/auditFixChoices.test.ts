import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../preload/contract';
import { CALL_SCHEMAS } from '../core/callSchemas';
import {
  addDataset,
  labeledImages,
  openTestStudio,
  type TestItem,
  type TestStudio,
  failureOf,
} from '../datasets/testing/testStudio';
import { auditFinding, findingMember } from './testing/auditKit';
import { AuditFixService, keepChoices, planAuditFix } from './auditFix';
import { defaultUndersampleTarget } from './classes';
import { OVERSAMPLE_SHIFT } from './rebalance';

// The fixes where a person chooses: which duplicate stays, and how the classes are rebalanced.

describe('choosing which duplicate stays', () => {
  const group = auditFinding(1, {
    members: [
      findingMember(10, 'keep'),
      findingMember(11, 'duplicate'),
      findingMember(12, 'duplicate'),
    ],
  });

  it('keeps the suggested member by default, and the chosen one when asked', () => {
    expect([...planAuditFix([group]).exclude].sort()).toEqual([11, 12]);
    const chosen = planAuditFix([group], { keep: new Map([[1, 12]]) });
    expect([...chosen.exclude].sort()).toEqual([10, 11]);
    expect(chosen.note).toBe('Audit fix: 2 duplicates excluded');
  });

  it('excludes only the duplicates of a group with no suggested keeper', () => {
    const unkept = auditFinding(5, {
      members: [findingMember(30, 'source'), findingMember(31, 'duplicate')],
    });
    expect([...planAuditFix([unkept]).exclude]).toEqual([31]);
  });

  it('refuses to keep an item that another finding of the same fix excludes', () => {
    const leak = auditFinding(6, {
      type: 'leakage',
      action: 'exclude',
      members: [findingMember(10, 'source'), findingMember(12, 'leak')],
    });
    expect(
      failureOf(() => planAuditFix([group, leak], { keep: new Map([[1, 12]]) })),
    ).toMatchObject({
      code: 'invalid-input',
      message: /chosen to stay \(12\) would also be excluded/,
    });
  });

  it('refuses an item that is not a member, a finding not being fixed, and a non-group', () => {
    expect(failureOf(() => planAuditFix([group], { keep: new Map([[1, 99]]) }))).toEqual({
      code: 'invalid-input',
      message: 'Item 99 is not a member of "finding 1"; choose one of its members to keep.',
    });
    expect(failureOf(() => planAuditFix([group], { keep: new Map([[2, 10]]) }))).toMatchObject({
      code: 'invalid-input',
      message: /Finding 2 is not one of the findings being fixed/,
    });
    const outlier = auditFinding(3, {
      type: 'outlier',
      action: 'exclude',
      members: [findingMember(20, 'subject')],
    });
    expect(failureOf(() => planAuditFix([outlier], { keep: new Map([[3, 20]]) }))).toMatchObject({
      code: 'invalid-input',
      message: /is not a duplicate group/,
    });
  });
});

describe('rebalancing in one click', () => {
  let studio: TestStudio;
  beforeEach(() => {
    studio = openTestStudio();
  });
  afterEach(async () => {
    await studio.cleanup();
  });

  const fixer = (report: () => AuditReport): AuditFixService =>
    AuditFixService.over(studio.service, report);

  /** 30 "big" items and 5 "small" ones, and an audit of them with one imbalance finding. */
  async function imbalanced(kind: 'image' | 'text' = 'image') {
    const items: TestItem[] =
      kind === 'image'
        ? [...labeledImages(['big'], 30), ...labeledImages(['small'], 5)]
        : ['big', 'small'].flatMap((label) =>
            Array.from({ length: label === 'big' ? 30 : 5 }, (_, i) => ({
              label,
              content: `${label} text number ${i}`,
            })),
          );
    const { datasetId, versionId } = await addDataset(studio, kind, items);
    const report = (): AuditReport => ({
      summary: {
        auditId: 1,
        syntheticCount: 0,
        syntheticPerClass: [],
        datasetId,
        versionId: studio.service.versions(datasetId)[0]?.id ?? versionId,
        status: 'completed',
        message: null,
        startedAt: '',
        finishedAt: '',
        itemCount: 35,
        computedCount: 35,
        score: 95,
        counts: { 'class-imbalance': 1 },
        affectedItems: 0,
        durationMs: 1,
      },
      findings: [
        auditFinding(7, {
          type: 'class-imbalance',
          detail: 'ratio',
          action: 'rebalance',
          title: 'The largest class has 6× the items of the smallest',
        }),
      ],
    });
    return { datasetId, versionId, fixes: fixer(report) };
  }

  it('oversamples by default: class-balanced batches and small shifts, no item dropped', async () => {
    const { datasetId, fixes } = await imbalanced();
    const result = fixes.applyFix(1, [7]);
    expect(result.version).toMatchObject({ number: 2, itemCount: 35 });
    expect(result.note).toBe(
      `Audit fix: classes balanced by oversampling (class-balanced batches, shifts up to ${OVERSAMPLE_SHIFT}px)`,
    );
    const settings = studio.service.getVersion(result.version.id).preprocessing;
    expect(settings.sampling.classBalanced).toBe(true);
    expect(settings.augmentation).toEqual({ flipHorizontal: false, maxShift: OVERSAMPLE_SHIFT });
    // The version diff says what changed, like any settings change.
    const diff = studio.service.compare(
      (studio.service.versions(datasetId)[1] as { id: number }).id,
      result.version.id,
    );
    expect(diff.changes.settings.map((c) => c.setting)).toEqual([
      'shift',
      'class-balanced batches',
    ]);
    // Balanced already: a second oversampling has nothing to change and says what would help.
    expect(failureOf(() => fixes.applyAll(1, 'class-imbalance'))).toMatchObject({
      code: 'invalid-input',
      message: /already draws its training batches class-balanced/,
    });
  });

  it('undersamples the large classes to the target with a seeded choice', async () => {
    const { datasetId, versionId, fixes } = await imbalanced();
    const result = fixes.applyAll(1, 'class-imbalance', 0, {
      method: 'undersample',
      targetPerClass: 10,
    });
    expect(result.note).toBe('Audit fix: 1 class undersampled to 10 (20 excluded)');
    const classes = studio.service.getVersion(result.version.id).classes;
    expect(classes.map((c) => [c.label, c.count])).toEqual([
      ['big', 10],
      ['small', 5],
    ]);
    // The same version and target drop the same items.
    const kept = studio.versions.rows(result.version.id).map((r) => r.itemId);
    const again = planAuditFix(
      [auditFinding(7, { type: 'class-imbalance', action: 'rebalance' })],
      { rebalance: { method: 'undersample', targetPerClass: 10 } },
      studio.service.contents(versionId),
    );
    const original = studio.versions.rows(versionId).map((r) => r.itemId);
    expect(original.filter((id) => !again.exclude.includes(id))).toEqual(kept);
    expect(studio.service.versions(datasetId)).toHaveLength(2);
  });

  it('undersamples to the smallest class by default, but not below a learnable size', () => {
    expect(defaultUndersampleTarget([300, 40, 55])).toBe(40);
    expect(defaultUndersampleTarget([300, 5])).toBe(20);
  });

  it('refuses to oversample text, and a target that changes nothing', async () => {
    const text = await imbalanced('text');
    expect(failureOf(() => text.fixes.applyFix(1, [7]))).toMatchObject({
      code: 'invalid-input',
      message: /Undersample instead/,
    });
    const undersampled = text.fixes.applyFix(1, [7], { rebalance: { method: 'undersample' } });
    expect(undersampled.note).toBe('Audit fix: 1 class undersampled to 20 (10 excluded)');

    await studio.cleanup();
    studio = openTestStudio();
    const images = await imbalanced();
    expect(
      failureOf(() =>
        images.fixes.applyFix(1, [7], {
          rebalance: { method: 'undersample', targetPerClass: 30 },
        }),
      ),
    ).toEqual({
      code: 'invalid-input',
      message: 'No class has more than 30 items, so undersampling to 30 would change nothing.',
    });
  });
});

describe('the choices at the boundary', () => {
  const applyFix = CALL_SCHEMAS['audit:applyFix'];

  it('takes keep choices as finding id → item id, and a rebalance method with a target', () => {
    const args = applyFix.parse({
      auditId: 1,
      findingIds: [4],
      keep: { '4': 12 },
      rebalance: { method: 'undersample', targetPerClass: 25 },
    });
    expect(keepChoices(args.keep ?? {})).toEqual(new Map([[4, 12]]));
  });

  it('refuses keys that are no finding id, items that are no id, and a target below one', () => {
    const problems = (args: unknown): string[] => {
      const result = applyFix.safeParse(args);
      return result.success ? [] : result.error.issues.map((i) => i.message);
    };
    expect(problems({ auditId: 1, findingIds: [4], keep: { first: 12 } })).toContain(
      'Keep choices are finding ids.',
    );
    expect(problems({ auditId: 1, findingIds: [4], keep: { '4': -1 } })).not.toEqual([]);
    expect(
      problems({
        auditId: 1,
        findingIds: [4],
        rebalance: { method: 'undersample', targetPerClass: 0 },
      }),
    ).toContain('Keep at least one item per class.');
    expect(problems({ auditId: 1, findingIds: [4], rebalance: { method: 'delete' } })).not.toEqual(
      [],
    );
  });
});
