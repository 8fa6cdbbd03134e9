import type { Migration } from '../migrate';

// The run history: a person names, tags and annotates runs, and archives the ones they want out
// of the default list without deleting what they produced. Tags are a JSON array of strings.
export const runHistoryNotes: Migration = {
  version: 8,
  name: 'run-history-notes',
  up: `
    ALTER TABLE runs ADD COLUMN name TEXT;
    ALTER TABLE runs ADD COLUMN tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags));
    ALTER TABLE runs ADD COLUMN notes TEXT NOT NULL DEFAULT '';
    ALTER TABLE runs ADD COLUMN archived_at TEXT;
    CREATE INDEX runs_by_version ON runs(version_id);
  `,
};
