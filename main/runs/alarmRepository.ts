import type { BestCheckpoint, RunAlarm, RunAlarmKind } from '../../preload/contract';
import { nowIso, type Db } from '../db/connection';
import type { RaisedAlarm } from './alarms';

interface AlarmRow {
  id: number;
  run_id: number;
  step: number;
  kind: RunAlarmKind;
  metric: string;
  value: number | null;
  message: string;
  created_at: string;
}

export interface StoredBest extends BestCheckpoint {
  /** Relative to the data dir. */
  dir: string;
}

/** A run's alarms and the best checkpoint it keeps, prepared once. */
export class AlarmRepository {
  private readonly statements;

  constructor(private readonly db: Db) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO run_alarms (run_id, step, kind, metric, value, message, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare(`SELECT * FROM run_alarms WHERE id = ?`),
      ofRun: db.prepare(`SELECT * FROM run_alarms WHERE run_id = ? ORDER BY step, id`),
      deleteAfter: db.prepare(`DELETE FROM run_alarms WHERE run_id = ? AND step > ?`),
      setBest: db.prepare(
        `INSERT OR REPLACE INTO run_best_checkpoints (run_id, dir, step, metric, value)
         VALUES (?, ?, ?, ?, ?)`,
      ),
      best: db.prepare(
        `SELECT dir, step, metric, value FROM run_best_checkpoints WHERE run_id = ?`,
      ),
    };
  }

  add(runId: number, alarm: RaisedAlarm): RunAlarm {
    const value = Number.isFinite(alarm.value) ? alarm.value : null;
    const info = this.statements.insert.run(
      runId,
      alarm.step,
      alarm.kind,
      alarm.metric,
      value,
      alarm.message,
      nowIso(),
    );
    return toAlarm(this.statements.get.get(Number(info.lastInsertRowid)) as AlarmRow);
  }

  list(runId: number): RunAlarm[] {
    return (this.statements.ofRun.all(runId) as AlarmRow[]).map(toAlarm);
  }

  /** A resume or rollback redoes the steps after `step`: their alarms go with them. */
  dropAfter(runId: number, step: number): void {
    this.statements.deleteAfter.run(runId, step);
  }

  setBest(runId: number, best: StoredBest): void {
    this.statements.setBest.run(runId, best.dir, best.step, best.metric, best.value);
  }

  best(runId: number): StoredBest | null {
    return (this.statements.best.get(runId) as StoredBest | undefined) ?? null;
  }
}

function toAlarm(row: AlarmRow): RunAlarm {
  return {
    id: row.id,
    runId: row.run_id,
    step: row.step,
    kind: row.kind,
    metric: row.metric,
    value: row.value,
    message: row.message,
    createdAt: row.created_at,
  };
}
