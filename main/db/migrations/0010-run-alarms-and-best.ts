import type { Migration } from '../migrate';

// Alarms a run raised while training (divergence, mode collapse, overfitting, memorisation), each
// at its step, and the one checkpoint a run keeps by its main metric, so "roll back to best" has a
// folder to continue from after newer checkpoints replaced the latest one.
export const runAlarmsAndBest: Migration = {
  version: 10,
  name: 'run-alarms-and-best',
  up: `
    CREATE TABLE run_alarms (
      id INTEGER PRIMARY KEY,
      run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      step INTEGER NOT NULL,
      kind TEXT NOT NULL
        CHECK (kind IN ('divergence', 'mode-collapse', 'overfitting', 'memorisation')),
      metric TEXT NOT NULL,
      value REAL,
      message TEXT NOT NULL,
      created_at TEXT NOT NULL
    ) STRICT;
    CREATE INDEX run_alarms_by_run ON run_alarms (run_id, step);
    CREATE TABLE run_best_checkpoints (
      run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      dir TEXT NOT NULL,
      step INTEGER NOT NULL,
      metric TEXT NOT NULL,
      value REAL
    ) STRICT;
  `,
};
