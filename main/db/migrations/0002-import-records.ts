import type { Migration } from '../migrate';

// What an import needs beyond the foundation: the settings it ran with and a fingerprint of what
// it found (so importing the same folder again can return the same dataset instead of a copy),
// remarks about files it did import (a PNG named .jpg) beside the files it skipped, an index to
// find an already-stored blob's image facts without decoding it again, and one so that removing
// an unfinished import's items is fast.
export const importRecords: Migration = {
  version: 2,
  name: 'import-records',
  up: `
    CREATE TABLE dataset_imports (
      dataset_id INTEGER PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
      -- The resolved settings as JSON: kind, text unit, CSV column, JSONL field, labels file.
      settings TEXT NOT NULL,
      -- SHA-256 over every item's (source path, blob, label); null until the import finished.
      fingerprint TEXT,
      files_seen INTEGER NOT NULL DEFAULT 0,
      duration_ms INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX dataset_imports_by_fingerprint ON dataset_imports(fingerprint);

    -- 'skipped': the file is not in the dataset; 'imported': it is, with a remark.
    ALTER TABLE import_skips ADD COLUMN outcome TEXT NOT NULL DEFAULT 'skipped'
      CHECK (outcome IN ('skipped', 'imported'));

    CREATE INDEX items_by_blob ON items(blob_sha);

    -- Deleting an item (a cancelled or superseded import) checks version_items for it; without
    -- this index that is a scan of every version's rows per item: minutes for a large folder.
    CREATE INDEX version_items_by_item ON version_items(item_id);
  `,
};
