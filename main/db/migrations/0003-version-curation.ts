import type { Migration } from '../migrate';

// Curation makes versions a working record: each item of a version carries its train/validation
// split (stored, so a version never changes meaning if the split rule does), and a version made by
// undo says which one it undid, so that undoing again walks further back instead of redoing.
export const versionCuration: Migration = {
  version: 3,
  name: 'version-curation',
  up: `
    ALTER TABLE version_items ADD COLUMN split TEXT NOT NULL DEFAULT 'train'
      CHECK (split IN ('train', 'validation'));

    ALTER TABLE dataset_versions ADD COLUMN undo_of_id INTEGER REFERENCES dataset_versions(id);

    -- Versions written before splits existed hold every item in train; their settings say so
    -- explicitly rather than inheriting whatever the defaults become.
    UPDATE dataset_versions
      SET preprocessing = '{"split":{"validationFraction":0,"seed":1}}'
      WHERE preprocessing = '{}';

    CREATE INDEX version_items_by_label ON version_items(version_id, label);
  `,
};
