import path from 'node:path';
import { openDatabase, type Db } from '../../db/connection';
import { BlobStore } from '../../store/blobStore';
import { ThumbnailStore } from '../../store/thumbnails';
import { tempDir } from '../../testing/fixtures';
import { DatasetRepository } from '../datasetRepository';
import type { ImportDeps } from '../import/importFolder';
import { VersionRepository } from '../versions/versionRepository';
import { ImportRecords } from '../import/importRecords';

/** A data dir in a temporary folder with what an import needs, for the import's tests. */
export interface ImportKit {
  dir: string;
  db: Db;
  deps: ImportDeps & { repository: DatasetRepository; records: ImportRecords };
  close(): Promise<void>;
}

export function importKit(): ImportKit {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(path.join(dir, 'studio.db'));
  return {
    dir,
    db,
    deps: {
      repository: new DatasetRepository(db),
      records: new ImportRecords(db),
      versions: new VersionRepository(db),
      blobs: new BlobStore(path.join(dir, 'blobs')),
      thumbnails: new ThumbnailStore(path.join(dir, 'thumbs')),
    },
    close: async () => {
      db.close();
      await cleanup();
    },
  };
}

/** The reasons of a report's lines by file name, for assertions that read like the report. */
export function reasonsByName(
  lines: { sourcePath: string; reason: string }[],
): Record<string, string> {
  return Object.fromEntries(lines.map((l) => [path.basename(l.sourcePath), l.reason]));
}
