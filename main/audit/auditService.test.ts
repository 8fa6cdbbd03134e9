import { afterEach, describe, expect, it } from 'vitest';
import type { AuditProgress } from '../../preload/contract';
import { StudioEventBus } from '../common/events';
import { auditKit, inThreadClassifier, sampleDigit, type AuditKit } from './testing/auditKit';
import { AuditService } from './auditService';

let kit: AuditKit | null = null;
afterEach(async () => {
  await kit?.close();
  kit = null;
});

function service(k: AuditKit, events = new StudioEventBus()): AuditService {
  return new AuditService({ db: k.db, blobs: k.blobs, events, classifier: inThreadClassifier });
}

describe('audit service', () => {
  it('audits a version in the background, stores findings with item ids, and exports them', async () => {
    kit = auditKit();
    const digit = sampleDigit(2, 0);
    const { datasetId, versionId, itemIds } = await kit.addDataset([
      { bytes: digit, label: '2', name: '2/a.png' },
      { bytes: digit, label: '2', name: '2/copy.png', split: 'validation' },
      { bytes: sampleDigit(3, 0), label: '3', name: '3/a.png' },
      { bytes: Buffer.from('not an image'), label: '3', name: '3/broken.png' },
      { bytes: sampleDigit(4, 0), label: null, name: 'loose.png' },
    ]);
    const events: AuditProgress[] = [];
    const bus = new StudioEventBus();
    bus.on('audit:progress', (p) => events.push(p));
    const audits = service(kit, bus);
    const started = audits.start(datasetId);
    expect(started).toMatchObject({ status: 'running', versionId, itemCount: 0 });
    const done = await audits.waitFor(started.auditId);
    expect(done).toMatchObject({ status: 'completed', itemCount: 5, computedCount: 4 });
    expect(done.score).toBeGreaterThan(0);
    expect(events.at(-1)).toMatchObject({ auditId: started.auditId, status: 'completed' });

    const report = audits.get(started.auditId);
    const byType = (type: string) => report.findings.filter((f) => f.type === type);
    expect(byType('exact-duplicate')[0]?.members.map((m) => [m.itemId, m.role, m.split])).toEqual([
      [itemIds[0], 'keep', 'train'],
      [itemIds[1], 'duplicate', 'validation'],
    ]);
    expect(byType('leakage')[0]?.members.map((m) => m.role)).toEqual(['source', 'leak']);
    expect(byType('corrupt')[0]?.members[0]).toMatchObject({
      itemId: itemIds[3],
      sourcePath: '/data/3/broken.png',
    });
    expect(byType('missing').map((f) => f.detail)).toEqual(['unlabeled']);
    expect(audits.latest(datasetId)?.summary.auditId).toBe(started.auditId);

    const csv = audits.export(started.auditId, 'csv');
    expect(csv.text.split('\r\n')[0]).toBe(
      'finding_id,type,detail,severity,score,title,action,suggested_label,confidence,confidence_level,confidence_why,item_id,source_path,label,split,role,synthetic',
    );
    expect(csv.text).toContain('/data/3/broken.png');
    expect(JSON.parse(audits.export(started.auditId, 'json').text).findings).toHaveLength(
      report.findings.length,
    );
  });

  it('completes with every other finding when the label classifier cannot run, and says why', async () => {
    kit = auditKit();
    const digits = Array.from({ length: 40 }, (_, i) => ({
      bytes: sampleDigit(i % 2, Math.floor(i / 2)),
      label: String(i % 2),
      name: `${i % 2}/${i}.png`,
    }));
    digits.push({ bytes: digits[0]!.bytes, label: '0', name: '0/copy.png' });
    const { datasetId } = await kit.addDataset(digits);
    const audits = new AuditService({
      db: kit.db,
      blobs: kit.blobs,
      events: new StudioEventBus(),
      classifier: () => Promise.reject(new Error('The ML worker stopped unexpectedly')),
    });
    const done = await audits.waitFor(audits.start(datasetId).auditId);
    expect(done.status).toBe('completed');
    expect(done.message).toBe(
      'Completed without looking for label errors: the classifier could not run (The ML worker stopped unexpectedly).',
    );
    expect(done.counts['exact-duplicate']).toBe(1);
  });

  it('finds the same in the same files whatever order the import numbered them in', async () => {
    kit = auditKit();
    const digits = Array.from({ length: 48 }, (_, i) => ({
      bytes: sampleDigit(i % 3, Math.floor(i / 3)),
      // Two labels swapped, so the label-error check (folds, votes) has something to find.
      label: String(i === 4 ? 2 : i === 8 ? 0 : i % 3),
      name: `${i % 3}/${String(i).padStart(2, '0')}.png`,
    }));
    const audits = service(kit);
    const findingsOf = async (items: typeof digits): Promise<string[]> => {
      const { datasetId } = await kit!.addDataset(items);
      const done = await audits.waitFor(audits.start(datasetId).auditId);
      return audits
        .get(done.auditId)
        .findings.map((f) => `${f.type} ${f.members.map((m) => m.sourcePath).join(',')}`)
        .sort();
    };
    const forward = await findingsOf(digits);
    expect(forward.some((f) => f.startsWith('label-error'))).toBe(true);
    expect(await findingsOf([...digits].reverse())).toEqual(forward);
  });

  it('is incremental: a re-audit after adding an item decodes only that item', async () => {
    kit = auditKit();
    const { datasetId, itemIds } = await kit.addDataset([
      { bytes: sampleDigit(0, 1), label: '0', name: '0/a.png' },
      { bytes: sampleDigit(1, 1), label: '1', name: '1/a.png' },
    ]);
    const audits = service(kit);
    const first = await audits.waitFor(audits.start(datasetId).auditId);
    expect(first.computedCount).toBe(2);
    const [added] = await kit.addItems(datasetId, [
      { bytes: sampleDigit(2, 1), label: '2', name: '2/a.png' },
    ]);
    const version2 = kit.addVersion(datasetId, 2, [
      { itemId: itemIds[0] as number, label: '0' },
      { itemId: itemIds[1] as number, label: '1' },
      { itemId: added as number, label: '2' },
    ]);
    const second = await audits.waitFor(audits.start(datasetId).auditId);
    expect(second).toMatchObject({
      versionId: version2,
      itemCount: 3,
      computedCount: 1,
      status: 'completed',
    });
  });

  it('can be cancelled, keeps nothing of a cancelled run, and refuses a second audit of the same dataset', async () => {
    kit = auditKit();
    const items = Array.from({ length: 40 }, (_, i) => ({
      bytes: sampleDigit(i % 10, i % 30),
      label: String(i % 10),
      name: `${i % 10}/${i}.png`,
    }));
    const { datasetId } = await kit.addDataset(items);
    const audits = service(kit);
    const started = audits.start(datasetId);
    expect(() => audits.start(datasetId)).toThrow(/being audited already/);
    const cancelled = await audits.cancel(started.auditId);
    expect(cancelled).toMatchObject({ status: 'cancelled', score: null });
    expect(audits.get(started.auditId).findings).toEqual([]);
  });

  it('says which dataset or version does not exist', () => {
    kit = auditKit();
    const audits = service(kit);
    expect(() => audits.start(99)).toThrow(/does not exist/);
    expect(() => audits.get(5)).toThrow(/does not exist/);
  });
});
