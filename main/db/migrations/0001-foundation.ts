import type { Migration } from '../migrate';

// The foundation schema: datasets and their items, immutable dataset versions, runs with their
// metrics, and generated samples. STRICT tables so a wrong type is an error, not a silent cast.
export const foundation: Migration = {
  version: 1,
  name: 'foundation',
  up: `
    CREATE TABLE datasets (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('image', 'text')),
      source_path TEXT NOT NULL,
      -- 'importing' until the import transaction commits its last batch; such rows are invisible
      -- and removed at the next start, so an interrupted import never shows half a dataset.
      status TEXT NOT NULL CHECK (status IN ('importing', 'ready')),
      created_at TEXT NOT NULL
    ) STRICT;

    CREATE TABLE items (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      blob_sha TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('image', 'text')),
      label TEXT,
      source_path TEXT NOT NULL,
      format TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      channels INTEGER NOT NULL,
      byte_size INTEGER NOT NULL,
      UNIQUE (dataset_id, source_path)
    ) STRICT;
    CREATE INDEX items_by_dataset_label ON items(dataset_id, label);

    -- Files the import could not use, with the reason, kept with the dataset.
    CREATE TABLE import_skips (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      source_path TEXT NOT NULL,
      reason TEXT NOT NULL
    ) STRICT;
    CREATE INDEX import_skips_by_dataset ON import_skips(dataset_id);

    CREATE TABLE dataset_versions (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      parent_id INTEGER REFERENCES dataset_versions(id),
      number INTEGER NOT NULL,
      note TEXT NOT NULL,
      preprocessing TEXT NOT NULL DEFAULT '{}',
      created_at TEXT NOT NULL,
      UNIQUE (dataset_id, number)
    ) STRICT;

    -- Which items a version holds and with which label: versions never change once written.
    CREATE TABLE version_items (
      version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      label TEXT,
      PRIMARY KEY (version_id, item_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE runs (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id),
      version_id INTEGER NOT NULL REFERENCES dataset_versions(id),
      family TEXT NOT NULL,
      preset_id TEXT NOT NULL,
      config TEXT NOT NULL,
      status TEXT NOT NULL
        CHECK (status IN ('queued', 'running', 'completed', 'stopped', 'failed', 'interrupted')),
      step INTEGER NOT NULL DEFAULT 0,
      total_steps INTEGER NOT NULL,
      backend TEXT,
      message TEXT,
      created_at TEXT NOT NULL,
      started_at TEXT,
      ended_at TEXT
    ) STRICT;

    CREATE TABLE run_metrics (
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      name TEXT NOT NULL,
      value REAL NOT NULL,
      PRIMARY KEY (run_id, name, step)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE samples (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      idx INTEGER NOT NULL,
      file_path TEXT NOT NULL,
      width INTEGER NOT NULL,
      height INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      UNIQUE (run_id, step, idx)
    ) STRICT;
  `,
};
