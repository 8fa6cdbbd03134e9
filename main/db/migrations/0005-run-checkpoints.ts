import type { Migration } from '../migrate';

// Runs of every model family: where a run's latest checkpoint is (so a stopped or interrupted run
// can be resumed) and which samples are text rather than images (character models).
export const runCheckpoints: Migration = {
  version: 5,
  name: 'run-checkpoints',
  up: `
    ALTER TABLE runs ADD COLUMN checkpoint_dir TEXT;
    ALTER TABLE runs ADD COLUMN checkpoint_step INTEGER;
    ALTER TABLE samples ADD COLUMN kind TEXT NOT NULL DEFAULT 'image'
      CHECK (kind IN ('image', 'text'));
    ALTER TABLE samples ADD COLUMN text TEXT;
  `,
};
