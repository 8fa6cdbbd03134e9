import type {
  GroupEvaluationFigure,
  ModelFamily,
  SampleFilters,
  SampleGroup,
  SampleGroups,
} from '../../preload/contract';
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/connection';
import { EVIDENCE_JOIN, filterClause, SAMPLE_FROM } from './sampleFilters';

interface GroupRow {
  run_id: number;
  run_name: string | null;
  step: number;
  n: number;
  family: ModelFamily;
  preset_id: string;
  dataset_name: string;
  version_number: number;
}

interface FigureRow {
  run_id: number;
  name: string;
  value: number;
  step: number;
}

/**
 * The figures a group header shows of a run's newest evaluation (images, then texts): how far the
 * samples are from the data, how much of it they cover and copy, and for texts the held-out bits.
 */
const HEADLINE_FIGURES = [
  'eval_frechet_distance',
  'eval_precision',
  'eval_recall',
  'eval_near_copy_share',
  'eval_val_bpc',
  'eval_word3_overlap',
  'eval_longest_copy',
];

/**
 * The (run, step) groups of the gallery's filtered samples, in the page order, with their counts:
 * the grid lays out a header row per group and knows where each group starts without loading a
 * sample. One GROUP BY over the gallery's index, and one primary-key read of the evaluated figures.
 */
export class SampleGroupQuery {
  private readonly cache = new Map<string, Statement>();
  private readonly figures: Statement;

  constructor(private readonly db: Db) {
    // The newest value of each headline figure of the runs given (a JSON array of ids).
    this.figures = db.prepare(`
      SELECT m.run_id, m.name, m.value, m.step FROM run_metrics m
      WHERE m.run_id IN (SELECT value FROM json_each(?))
        AND m.name IN (${HEADLINE_FIGURES.map(() => '?').join(', ')})
        AND m.step = (SELECT MAX(x.step) FROM run_metrics x
                      WHERE x.run_id = m.run_id AND x.name = m.name)`);
  }

  groups(filters: SampleFilters): SampleGroups {
    const { clause, params, readsEvidence } = filterClause(filters);
    const rows = this.statementFor(clause, readsEvidence).all(...params) as GroupRow[];
    const evaluations = this.evaluationsOf([...new Set(rows.map((row) => row.run_id))]);
    const groups = rows.map((row): SampleGroup => ({
      runId: row.run_id,
      runName: row.run_name,
      step: row.step,
      count: row.n,
      family: row.family,
      presetId: row.preset_id,
      datasetName: row.dataset_name,
      versionNumber: row.version_number,
      evaluation: evaluations.get(row.run_id) ?? null,
    }));
    return { total: groups.reduce((sum, group) => sum + group.count, 0), groups };
  }

  private evaluationsOf(runIds: number[]) {
    const byRun = new Map<number, { step: number; figures: GroupEvaluationFigure[] }>();
    if (runIds.length === 0) return byRun;
    const rows = this.figures.all(JSON.stringify(runIds), ...HEADLINE_FIGURES) as FigureRow[];
    // A figure an older evaluation recorded and the newest did not is not the newest's.
    const newest = new Map<number, number>();
    for (const row of rows) newest.set(row.run_id, Math.max(newest.get(row.run_id) ?? 0, row.step));
    rows.sort((a, b) => HEADLINE_FIGURES.indexOf(a.name) - HEADLINE_FIGURES.indexOf(b.name));
    for (const row of rows) {
      if (row.step !== newest.get(row.run_id)) continue;
      const entry = byRun.get(row.run_id) ?? { step: row.step, figures: [] };
      entry.figures.push({ name: row.name.slice('eval_'.length), value: row.value });
      byRun.set(row.run_id, entry);
    }
    return byRun;
  }

  /** Prepared once per shape of filter, as the page's statements are. */
  private statementFor(clause: string, readsEvidence: boolean): Statement {
    let statement = this.cache.get(clause);
    if (!statement) {
      // The run's columns are the same on every row of a group (one run per group).
      statement = this.db.prepare(
        `SELECT s.run_id, s.step, COUNT(*) AS n, r.name AS run_name, r.family, r.preset_id,
           d.name AS dataset_name, v.number AS version_number
         ${SAMPLE_FROM} ${readsEvidence ? EVIDENCE_JOIN : ''} ${clause}
         GROUP BY s.run_id, s.step ORDER BY s.run_id DESC, s.step DESC`,
      );
      this.cache.set(clause, statement);
    }
    return statement;
  }
}
