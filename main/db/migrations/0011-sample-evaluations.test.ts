import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { sampleEvaluations } from './0011-sample-evaluations';

describe('0011 sample evaluations', () => {
  it('keeps existing samples unjudged, drops evidence with its sample, and refuses a reversed stretch', () => {
    const db = databaseBefore(sampleEvaluations);
    insertOneRun(db, { kind: 'text', family: 'char-rnn', presetId: 'char-rnn-tiny' });
    db.exec(`INSERT INTO samples (id, run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 1, 60, 0, 'runs/1/samples/a.txt', 0, 0, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_evaluations').get()).toEqual({ n: 0 });
    db.exec(`INSERT INTO sample_evaluations (sample_id, step, copy_start, copy_end)
               VALUES (1, 60, 2, 9)`);
    expect(() =>
      db.exec(`UPDATE sample_evaluations SET copy_start = 9, copy_end = 2 WHERE sample_id = 1`),
    ).toThrow(/CHECK/);
    db.exec('DELETE FROM samples WHERE id = 1');
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_evaluations').get()).toEqual({ n: 0 });
  });
});
