import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { runAlarmsAndBest } from './0010-run-alarms-and-best';

describe('0010 run alarms and best checkpoint', () => {
  it('keeps existing runs and stores alarms of known kinds and one best checkpoint per run', () => {
    const db = databaseBefore(runAlarmsAndBest);
    insertOneRun(db, { status: 'stopped' });
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    db.exec(`INSERT INTO run_alarms (run_id, step, kind, metric, value, message, created_at)
               VALUES (1, 40, 'divergence', 'loss', NULL, 'loss became NaN', 'now');
             INSERT INTO run_best_checkpoints (run_id, dir, step, metric, value)
               VALUES (1, 'runs/1/best', 20, 'val_loss', 1.5);`);
    expect(() =>
      db.exec(`INSERT INTO run_alarms (run_id, step, kind, metric, message, created_at)
                 VALUES (1, 1, 'boredom', 'loss', 'x', 'now')`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(`INSERT INTO run_best_checkpoints (run_id, dir, step, metric)
                 VALUES (1, 'runs/1/best', 30, 'loss')`),
    ).toThrow(/UNIQUE|PRIMARY/);
  });
});
