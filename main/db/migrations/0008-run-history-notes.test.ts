import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate';
import { databaseBefore, insertOneRun } from '../testing/migrationDb';
import { runHistoryNotes } from './0008-run-history-notes';

describe('0008 run history notes', () => {
  it('gives existing runs no name, no tags, empty notes and not archived; tags must be JSON', () => {
    const db = databaseBefore(runHistoryNotes);
    insertOneRun(db, { family: 'dense-vae', presetId: 'vae-tiny', totalSteps: 5 });
    migrate(db);
    expect(db.prepare('SELECT name, tags, notes, archived_at FROM runs').get()).toEqual({
      name: null,
      tags: '[]',
      notes: '',
      archived_at: null,
    });
    db.prepare(`UPDATE runs SET name = 'baseline', tags = '["a","b"]', archived_at = 'now'`).run();
    expect(() => db.prepare(`UPDATE runs SET tags = 'not json'`).run()).toThrow(/CHECK/);
  });
});
