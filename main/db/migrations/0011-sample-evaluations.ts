import type { Migration } from '../migrate';

// What an evaluation found about each sample it judged, kept beside the sample so the gallery
// reads it in the same query as the sample (one join by primary key, not one call per tile):
// for an image, its nearest training item in the feature network's space and in pixels, the
// distances and whether it is a near copy; for a text, the longest stretch found verbatim in the
// training text. A sample judged again keeps only its newest evidence.
export const sampleEvaluations: Migration = {
  version: 11,
  name: 'sample-evaluations',
  up: `
    CREATE TABLE sample_evaluations (
      sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      nearest_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
      nearest_blob_sha TEXT,
      feature_distance REAL,
      distance_ratio REAL,
      near_copy INTEGER NOT NULL DEFAULT 0 CHECK (near_copy IN (0, 1)),
      pixel_item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
      pixel_blob_sha TEXT,
      pixel_rms REAL,
      copy_start INTEGER,
      copy_end INTEGER,
      CHECK ((copy_start IS NULL) = (copy_end IS NULL) AND (copy_end IS NULL OR copy_end >= copy_start))
    ) STRICT;
  `,
};
