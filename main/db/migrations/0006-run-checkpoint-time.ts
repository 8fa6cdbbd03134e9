import type { Migration } from '../migrate';

// When a run's newest checkpoint was written, so the run panel and `studio runs` can say how much
// a resume would repeat ("last checkpoint: step 500, 14:02"). Older runs keep NULL: unknown.
export const runCheckpointTime: Migration = {
  version: 6,
  name: 'run-checkpoint-time',
  up: `
    ALTER TABLE runs ADD COLUMN checkpoint_at TEXT;
  `,
};
