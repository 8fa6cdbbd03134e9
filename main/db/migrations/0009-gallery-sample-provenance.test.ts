import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { gallerySampleProvenance } from './0009-gallery-sample-provenance';

describe('0009 gallery sample provenance', () => {
  it('keeps existing samples (provenance unknown, unrated) and refuses a rating it does not know', () => {
    const db = databaseBefore(gallerySampleProvenance);
    insertOneRun(db);
    db.exec(`INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at)
               VALUES (1, 60, 0, 'runs/1/samples/a.png', 28, 28, 'now');`);
    migrate(db);
    expect(db.prepare('SELECT origin, seed, class_label, rating FROM samples').get()).toEqual({
      origin: 'training',
      seed: null,
      class_label: null,
      rating: null,
    });
    db.prepare(`UPDATE samples SET rating = 'starred'`).run();
    expect(() => db.prepare(`UPDATE samples SET rating = 'loved'`).run()).toThrow(/CHECK/);
  });
});
