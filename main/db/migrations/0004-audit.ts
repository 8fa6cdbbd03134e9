import type { Migration } from '../migrate';

// The data audit: one row per audit run of a dataset version, its findings, and the items each
// finding is about. Findings point at item ids (not copies of them), so a fix is "exclude or
// relabel these ids" and becomes a new dataset version. Per-item features are cached by blob
// hash, not by item: the same file in two datasets, or a re-audit after items were added,
// decodes nothing twice.
export const audit: Migration = {
  version: 4,
  name: 'audit',
  up: `
    CREATE TABLE audit_runs (
      id INTEGER PRIMARY KEY,
      dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
      version_id INTEGER NOT NULL REFERENCES dataset_versions(id) ON DELETE CASCADE,
      status TEXT NOT NULL
        CHECK (status IN ('running', 'completed', 'cancelled', 'failed', 'interrupted')),
      options TEXT NOT NULL DEFAULT '{}',
      item_count INTEGER NOT NULL DEFAULT 0,
      -- How many items needed their features computed (the rest came from the cache).
      computed_count INTEGER NOT NULL DEFAULT 0,
      -- 0–100, null until the audit completes.
      score REAL,
      -- The quality summary (counts per finding type, classes, timings) as JSON.
      summary TEXT NOT NULL DEFAULT '{}',
      message TEXT,
      started_at TEXT NOT NULL,
      finished_at TEXT
    ) STRICT;
    CREATE INDEX audit_runs_by_dataset ON audit_runs(dataset_id, id);
    CREATE INDEX audit_runs_by_version ON audit_runs(version_id, id);

    CREATE TABLE audit_findings (
      id INTEGER PRIMARY KEY,
      audit_id INTEGER NOT NULL REFERENCES audit_runs(id) ON DELETE CASCADE,
      type TEXT NOT NULL,
      -- A finer reason within the type ('unlabeled', 'noise', 'mojibake', ...).
      detail TEXT NOT NULL,
      severity TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low', 'info')),
      -- 0–1, higher is more certain or more severe; findings are listed by it.
      score REAL NOT NULL,
      title TEXT NOT NULL,
      -- What one click would do: exclude / relabel / keep-one / rebalance / review.
      action TEXT NOT NULL,
      -- The label a relabel action would set.
      action_label TEXT,
      -- Type-specific evidence (similarities, class histogram, neighbours) as JSON.
      evidence TEXT NOT NULL DEFAULT '{}'
    ) STRICT;
    CREATE INDEX audit_findings_by_audit ON audit_findings(audit_id, type);

    -- The items a finding is about, in order; files that never became items (skipped at import)
    -- have no item id, only their path.
    CREATE TABLE audit_finding_members (
      finding_id INTEGER NOT NULL REFERENCES audit_findings(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      item_id INTEGER REFERENCES items(id) ON DELETE CASCADE,
      source_path TEXT NOT NULL,
      -- 'keep' / 'duplicate' / 'member' / 'subject' / 'neighbour' ...
      role TEXT NOT NULL,
      PRIMARY KEY (finding_id, position)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX audit_finding_members_by_item ON audit_finding_members(item_id);

    -- Per-item scores every audited item gets (not only the flagged ones), to sort and filter by.
    CREATE TABLE audit_item_scores (
      audit_id INTEGER NOT NULL REFERENCES audit_runs(id) ON DELETE CASCADE,
      item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
      -- 0–1: how far the item is from its nearest neighbours, relative to the dataset.
      uniqueness REAL NOT NULL,
      PRIMARY KEY (audit_id, item_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE audit_features (
      blob_sha TEXT NOT NULL,
      -- Bumped when the extractor changes, so stale features are recomputed, not trusted.
      extractor INTEGER NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('image', 'text')),
      -- The extractor's packed output (see main/audit/featureCodec.ts).
      data BLOB NOT NULL,
      created_at TEXT NOT NULL,
      PRIMARY KEY (blob_sha, kind)
    ) STRICT, WITHOUT ROWID;
  `,
};
