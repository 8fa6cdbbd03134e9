import type { Migration } from '../migrate';

// When each metric point was recorded, as milliseconds of training since the run first started
// (pauses between a stop and a resume not counted), so runs compared "by wall time" overlay on
// the time they really took instead of their average rate spread over their steps. A run keeps
// the training time of its earlier sessions in `trained_ms_before`, set as a session starts.
// NULL for points recorded before this (and for figures recorded while the run is not training).
export const metricTrainingTime: Migration = {
  version: 14,
  name: 'metric-training-time',
  up: `
    ALTER TABLE run_metrics ADD COLUMN elapsed_ms REAL CHECK (elapsed_ms IS NULL OR elapsed_ms >= 0);
    ALTER TABLE runs ADD COLUMN trained_ms_before REAL NOT NULL DEFAULT 0;
  `,
};
