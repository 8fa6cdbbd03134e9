import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PREPROCESSING } from '../versions/preprocessing';
import { finishImport } from './finishImport';
import { importKit, type ImportKit } from '../testing/importKit';

let kit: ImportKit;
let datasetId: number;

// Ten items in two classes, stored by hand: the finishing step is what is under test.
beforeEach(() => {
  kit = importKit();
  const { repository, records } = kit.deps;
  datasetId = repository.beginDataset('pair', 'image', '/pair');
  records.begin(datasetId, '{}');
  repository.addItems(
    datasetId,
    Array.from({ length: 10 }, (_, i) => ({
      blobSha: String(i).padStart(64, '0'),
      kind: 'image' as const,
      label: i < 5 ? 'a' : 'b',
      sourcePath: `/pair/${i < 5 ? 'a' : 'b'}/${i}.png`,
      format: 'png',
      width: 4,
      height: 4,
      channels: 1,
      byteSize: 10,
    })),
  );
});
afterEach(() => kit.close());

const outcome = { fingerprint: 'f'.repeat(64), filesSeen: 10, durationMs: 5 };

function state(): { status: unknown; fingerprint: unknown; versions: unknown; rows: unknown } {
  const one = (sql: string): unknown =>
    Object.values(kit.db.prepare(sql).get(datasetId) as Record<string, unknown>)[0];
  return {
    status: one(`SELECT status FROM datasets WHERE id = ?`),
    fingerprint: one(`SELECT fingerprint FROM dataset_imports WHERE dataset_id = ?`),
    versions: one(`SELECT COUNT(*) FROM dataset_versions WHERE dataset_id = ?`),
    rows: one(
      `SELECT COUNT(*) FROM version_items vi JOIN dataset_versions v ON v.id = vi.version_id
       WHERE v.dataset_id = ?`,
    ),
  };
}

describe('finishImport', () => {
  it('writes version 1 through the version repository, with the defaults and the split', () => {
    const versionId = finishImport(kit.deps, datasetId, outcome);
    const version = kit.deps.versions.version(versionId);
    expect(version).toMatchObject({ number: 1, parentId: null, undoOfId: null, note: 'imported' });
    expect(JSON.parse(version?.preprocessing ?? '')).toEqual(DEFAULT_PREPROCESSING);
    // 10% of each class of five rounds to one validation item each.
    expect(kit.deps.versions.counts(versionId)).toEqual({
      itemCount: 10,
      trainCount: 8,
      validationCount: 2,
      syntheticCount: 0,
    });
    expect(state()).toEqual({
      status: 'ready',
      fingerprint: outcome.fingerprint,
      versions: 1,
      rows: 10,
    });
    expect(kit.deps.repository.get(datasetId)?.latestVersionId).toBe(versionId);
  });

  it('leaves neither the record, the version nor the ready mark when the last write fails', () => {
    // A real failure of the very last statement (the ready mark), raised by SQLite itself.
    kit.db.exec(`CREATE TRIGGER refuse_ready BEFORE UPDATE OF status ON datasets
      BEGIN SELECT RAISE(ABORT, 'no ready mark today'); END`);
    expect(() => finishImport(kit.deps, datasetId, outcome)).toThrow(/no ready mark today/);
    expect(state()).toEqual({ status: 'importing', fingerprint: null, versions: 0, rows: 0 });

    kit.db.exec(`DROP TRIGGER refuse_ready`);
    finishImport(kit.deps, datasetId, outcome);
    expect(state()).toMatchObject({ status: 'ready', versions: 1, rows: 10 });
  });
});
