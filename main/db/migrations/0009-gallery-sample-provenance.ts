import type { Migration } from '../migrate';

// What the gallery shows of each sample and what a person decided about it: how it was drawn
// (seed, latent index, class asked for, prompt, temperature/top-k/top-p; NULL where not known,
// as for samples written before this migration) and a star or a rejection. The index serves the
// gallery's order (run, step, index) and its filters over 20,000 samples.
export const gallerySampleProvenance: Migration = {
  version: 9,
  name: 'gallery-sample-provenance',
  up: `
    ALTER TABLE samples ADD COLUMN seed INTEGER;
    ALTER TABLE samples ADD COLUMN latent_index INTEGER;
    ALTER TABLE samples ADD COLUMN class_label TEXT;
    ALTER TABLE samples ADD COLUMN prompt TEXT;
    ALTER TABLE samples ADD COLUMN temperature REAL;
    ALTER TABLE samples ADD COLUMN top_k INTEGER;
    ALTER TABLE samples ADD COLUMN top_p REAL;
    ALTER TABLE samples ADD COLUMN origin TEXT NOT NULL DEFAULT 'training'
      CHECK (origin IN ('training', 'grid', 'interpolation', 'text'));
    ALTER TABLE samples ADD COLUMN rating TEXT CHECK (rating IN ('starred', 'rejected'));
    CREATE INDEX samples_gallery_order ON samples (run_id DESC, step DESC, idx);
    CREATE INDEX samples_rating ON samples (rating) WHERE rating IS NOT NULL;
  `,
};
