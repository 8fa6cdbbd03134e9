import type { MetricDirection, MetricSummary } from '../../preload/contract';
export { directionLabel, isBetterValue } from '../../shared/runs/metricDirection';

// Which way is better for a metric name. Losses, divergences, distances and perplexities go down
// as a model improves; accuracies, precision/recall/coverage, distinct-n diversity, throughput and
// inception-style scores go up, and so does the scarcest class's share of the samples (a starved
// class the model learns to draw); a z-score (the data-copying test's `*_z`) is best near 0: far
// below means copying, far above underfitting, so neither its lowest nor its highest is "best".
// A name not known here is treated as a loss: everything a run records today is one.
const HIGHER_IS_BETTER =
  /(acc|accuracy|precision|recall|coverage|density|distinct|steps_per_second|inception|^is$|_is$|score|scarce_class_share)/i;
const NEAR_ZERO_IS_BETTER = /_z$/;
/** The same rule for SQL's LIKE (`_` escaped). */
const NEAR_ZERO_LIKE = "'%\\_z' ESCAPE '\\'";

/** Recorded beside the metrics but set by the schedule, not earned: nothing to rank runs by. */
const NOT_RANKED = new Set(['learningRate']);

export function isRanked(name: string): boolean {
  return !NOT_RANKED.has(name);
}

export function betterDirection(name: string): MetricDirection {
  if (NEAR_ZERO_IS_BETTER.test(name)) return 'zero';
  return HIGHER_IS_BETTER.test(name) ? 'higher' : 'lower';
}

/** One metric of one run as SQL aggregates it: its last value and its extremes. */
export interface MetricAggregateRow {
  run_id: number;
  name: string;
  final: number;
  min_value: number;
  max_value: number;
  /** The value nearest 0, for metrics best near 0 (null for the others). */
  nearest_zero: number | null;
}

export function toMetricSummary(row: MetricAggregateRow): MetricSummary {
  const better = betterDirection(row.name);
  const best =
    better === 'zero'
      ? (row.nearest_zero ?? row.final)
      : better === 'lower'
        ? row.min_value
        : row.max_value;
  return { final: row.final, best, better };
}

/** Groups aggregate rows by run: runId → name → summary. */
export function summariesByRun(
  rows: readonly MetricAggregateRow[],
): Map<number, Record<string, MetricSummary>> {
  const byRun = new Map<number, Record<string, MetricSummary>>();
  for (const row of rows) {
    const entry = byRun.get(row.run_id) ?? {};
    entry[row.name] = toMetricSummary(row);
    byRun.set(row.run_id, entry);
  }
  return byRun;
}

/**
 * The SQL for the aggregates of every run, or of one run (`oneRun`: its id is the one parameter);
 * the final value is the one at the last step.
 */
export function metricAggregatesSql(oneRun: boolean): string {
  return `
  SELECT m.run_id, m.name, m.value AS final, g.min_value, g.max_value,
    CASE WHEN m.name LIKE ${NEAR_ZERO_LIKE} THEN (
      SELECT z.value FROM run_metrics z WHERE z.run_id = m.run_id AND z.name = m.name
      ORDER BY ABS(z.value), z.step LIMIT 1
    ) END AS nearest_zero
  FROM run_metrics m JOIN (
    SELECT run_id, name, MIN(value) AS min_value, MAX(value) AS max_value, MAX(step) AS last_step
    FROM run_metrics ${oneRun ? 'WHERE run_id = ?' : ''} GROUP BY run_id, name
  ) g ON g.run_id = m.run_id AND g.name = m.name AND g.last_step = m.step`;
}
