// Tiny datasets in a temporary data dir, for the version and preparation tests.
import path from 'node:path';
import type { DatasetKind, StudioError } from '../../../preload/contract';
import { StudioEventBus } from '../../common/events';
import { StudioFailure } from '../../common/failure';
import { openDatabase, type Db } from '../../db/connection';
import { BlobStore } from '../../store/blobStore';
import { ThumbnailStore } from '../../store/thumbnails';
import { pngBytes, tempDir } from '../../testing/fixtures';
import { DatasetRepository } from '../datasetRepository';
import { finishImport } from '../import/finishImport';
import { ImportRecords } from '../import/importRecords';
import { VersionRepository } from '../versions/versionRepository';
import { VersionService } from '../versions/versionService';

export interface TestItem {
  label: string | null;
  /** Image items: seed of the pixels; text items: the text. */
  content: number | string;
  channels?: 1 | 3 | 4;
  size?: number;
}

export interface TestStudio {
  dir: string;
  db: Db;
  blobs: BlobStore;
  thumbnails: ThumbnailStore;
  datasets: DatasetRepository;
  records: ImportRecords;
  versions: VersionRepository;
  service: VersionService;
  events: StudioEventBus;
  cleanup: () => Promise<void>;
}

export function openTestStudio(): TestStudio {
  const temp = tempDir('studio-versions-');
  const db = openDatabase(path.join(temp.dir, 'studio.db'));
  const blobs = new BlobStore(path.join(temp.dir, 'blobs'));
  const thumbnails = new ThumbnailStore(path.join(temp.dir, 'thumbs'));
  const versions = new VersionRepository(db);
  const events = new StudioEventBus();
  return {
    dir: temp.dir,
    db,
    blobs,
    thumbnails,
    datasets: new DatasetRepository(db),
    records: new ImportRecords(db),
    versions,
    events,
    service: new VersionService({ versions, blobs, events }),
    cleanup: async () => {
      db.close();
      await temp.cleanup();
    },
  };
}

/** Imports items as an import would: blobs, thumbnails, items, then version 1. */
export async function addDataset(
  studio: TestStudio,
  kind: DatasetKind,
  items: readonly TestItem[],
): Promise<{ datasetId: number; versionId: number; itemIds: number[] }> {
  const datasetId = studio.datasets.beginDataset(`test-${kind}`, kind, '/test');
  const rows = [];
  for (const [index, item] of items.entries()) {
    const size = item.size ?? 4;
    const channels = item.channels ?? 1;
    const bytes =
      typeof item.content === 'string'
        ? Buffer.from(item.content, 'utf8')
        : await pngBytes(item.content, size, channels);
    const sha = await studio.blobs.put(bytes);
    if (kind === 'image') await studio.thumbnails.ensure(sha, bytes);
    rows.push({
      blobSha: sha,
      kind,
      label: item.label,
      sourcePath: `/test/${item.label ?? 'none'}/${String(index).padStart(4, '0')}`,
      format: kind === 'image' ? 'png' : 'txt',
      width: kind === 'image' ? size : 0,
      height: kind === 'image' ? size : 0,
      channels: kind === 'image' ? channels : 0,
      byteSize: bytes.length,
    });
  }
  studio.datasets.addItems(datasetId, rows);
  const versionId = finishTestImport(studio, datasetId);
  const itemIds = studio.versions.rows(versionId).map((r) => r.itemId);
  return { datasetId, versionId, itemIds };
}

/** Ends an import begun by hand the way a real import ends: record, version 1, visible. */
export function finishTestImport(studio: TestStudio, datasetId: number): number {
  const { datasets: repository, records, versions } = studio;
  records.begin(datasetId, '{}');
  const fingerprint = records.fingerprint(datasetId);
  return finishImport({ repository, records, versions }, datasetId, {
    fingerprint,
    filesSeen: 0,
    durationMs: 0,
  });
}

/** `count` image items of each label, seeded so that every item differs. */
export function labeledImages(labels: readonly string[], count: number): TestItem[] {
  return labels.flatMap((label, l) =>
    Array.from({ length: count }, (_, i) => ({ label, content: l * 1000 + i })),
  );
}

/** The { code, message } of the StudioFailure `work` throws (it must throw one). */
export function failureOf(work: () => unknown): StudioError {
  try {
    work();
  } catch (err) {
    if (err instanceof StudioFailure) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected a StudioFailure');
}
