import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { samplePredictedClass } from './0013-sample-predicted-class';

describe('0013 sample predicted class', () => {
  it('keeps existing evidence without a prediction and refuses a confidence outside [0, 1]', () => {
    const db = databaseBefore(samplePredictedClass);
    insertOneRun(db, { presetId: 'vae-tiny' });
    db.exec(`INSERT INTO samples (id, run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 1, 60, 0, 'runs/1/samples/a.png', 8, 8, 'now'),
                      (2, 1, 60, 1, 'runs/1/samples/b.png', 8, 8, 'now');
             INSERT INTO sample_evaluations (sample_id, step, feature_distance)
               VALUES (1, 60, 0.5);`);
    migrate(db);
    expect(
      db
        .prepare(
          `SELECT feature_distance, predicted_label, predicted_confidence, classifier_accuracy
             FROM sample_evaluations WHERE sample_id = 1`,
        )
        .get(),
    ).toEqual({
      feature_distance: 0.5,
      predicted_label: null,
      predicted_confidence: null,
      classifier_accuracy: null,
    });
    db.exec(`INSERT INTO sample_evaluations (sample_id, step, predicted_label,
               predicted_confidence, classifier_accuracy, classifier_chance)
               VALUES (2, 60, '7', 0.93, 0.9, 0.1)`);
    expect(() =>
      db.exec(`UPDATE sample_evaluations SET predicted_confidence = 1.5 WHERE sample_id = 2`),
    ).toThrow(/CHECK/);
    db.exec('DELETE FROM samples WHERE id = 2');
    expect(db.prepare('SELECT COUNT(*) AS n FROM sample_evaluations').get()).toEqual({ n: 1 });
  });
});
