import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { metricTrainingTime } from './0014-metric-training-time';

describe('0014 metric training time', () => {
  it('keeps existing points without a time and refuses a negative one', () => {
    const db = databaseBefore(metricTrainingTime);
    insertOneRun(db, { presetId: 'vae-tiny' });
    db.exec(`INSERT INTO run_metrics (run_id, step, name, value) VALUES (1, 10, 'loss', 0.5);`);
    migrate(db);
    expect(db.prepare('SELECT step, value, elapsed_ms FROM run_metrics').get()).toEqual({
      step: 10,
      value: 0.5,
      elapsed_ms: null,
    });
    expect(db.prepare('SELECT trained_ms_before FROM runs').get()).toEqual({
      trained_ms_before: 0,
    });
    db.exec(`INSERT INTO run_metrics (run_id, step, name, value, elapsed_ms)
               VALUES (1, 20, 'loss', 0.4, 1500)`);
    expect(() => db.exec(`UPDATE run_metrics SET elapsed_ms = -1 WHERE step = 20`)).toThrow(
      /CHECK/,
    );
  });
});
