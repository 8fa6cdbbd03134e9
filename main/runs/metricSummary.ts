import type { MetricSummary } from '../../preload/contract';

// Which way is better for a metric name. Losses, divergences, distances and perplexities go down
// as a model improves; accuracies, precision/recall/coverage and inception-style scores go up.
// A name not known here is treated as a loss: everything a run records today is one.
const HIGHER_IS_BETTER =
  /(acc|accuracy|precision|recall|coverage|density|inception|^is$|_is$|score)/i;

/** Recorded beside the metrics but set by the schedule, not earned: nothing to rank runs by. */
const NOT_RANKED = new Set(['learningRate']);

export function isRanked(name: string): boolean {
  return !NOT_RANKED.has(name);
}

export function betterDirection(name: string): 'lower' | 'higher' {
  return HIGHER_IS_BETTER.test(name) ? 'higher' : 'lower';
}

/** One metric of one run as SQL aggregates it: its last value and its extremes. */
export interface MetricAggregateRow {
  run_id: number;
  name: string;
  final: number;
  min_value: number;
  max_value: number;
}

export function toMetricSummary(row: MetricAggregateRow): MetricSummary {
  const better = betterDirection(row.name);
  return { final: row.final, best: better === 'lower' ? row.min_value : row.max_value, better };
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
  SELECT m.run_id, m.name, m.value AS final, g.min_value, g.max_value
  FROM run_metrics m JOIN (
    SELECT run_id, name, MIN(value) AS min_value, MAX(value) AS max_value, MAX(step) AS last_step
    FROM run_metrics ${oneRun ? 'WHERE run_id = ?' : ''} GROUP BY run_id, name
  ) g ON g.run_id = m.run_id AND g.name = m.name AND g.last_step = m.step`;
}
