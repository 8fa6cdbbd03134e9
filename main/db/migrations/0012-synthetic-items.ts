import type { Migration } from '../migrate';

// Items made from generated samples ("generate to augment"): an item row like any other (its blob
// is the sample's PNG or text, so training, browsing and the audit read it unchanged) plus where
// it came from. The run and step are kept as plain numbers, not references: deleting the run (or
// its samples) must not delete the dataset's history, and the provenance stays readable after.
// class_source says whether the class is the one a conditional model was asked for or one a
// person chose for an unconditional sample.
export const syntheticItems: Migration = {
  version: 12,
  name: 'synthetic-items',
  up: `
    CREATE TABLE synthetic_items (
      item_id INTEGER PRIMARY KEY REFERENCES items(id) ON DELETE CASCADE,
      sample_id INTEGER REFERENCES samples(id) ON DELETE SET NULL,
      run_id INTEGER NOT NULL,
      step INTEGER NOT NULL,
      origin TEXT NOT NULL,
      seed INTEGER,
      latent_index INTEGER,
      class_label TEXT,
      class_source TEXT NOT NULL CHECK (class_source IN ('asked', 'chosen', 'unlabeled')),
      prompt TEXT,
      temperature REAL,
      top_k INTEGER,
      top_p REAL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX synthetic_items_by_sample ON synthetic_items (sample_id);
  `,
};
