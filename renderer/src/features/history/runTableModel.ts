import type { RunSummary } from '../../../../preload/contract';

// What the runs table can show, filter and sort by: fixed columns, plus one per metric name the
// runs recorded (its final or its best value). Pure functions, so the table stays a view.

export type FixedColumn =
  | 'name'
  | 'dataset'
  | 'version'
  | 'family'
  | 'preset'
  | 'status'
  | 'steps'
  | 'backend'
  | 'samples'
  | 'tags'
  | 'started';

/** `metric:<name>:final` or `metric:<name>:best`. */
export type MetricColumn = `metric:${string}:${'final' | 'best'}`;
export type ColumnId = FixedColumn | MetricColumn;

export const FIXED_COLUMNS: { id: FixedColumn; label: string }[] = [
  { id: 'name', label: 'Name' },
  { id: 'dataset', label: 'Dataset' },
  { id: 'version', label: 'Version' },
  { id: 'family', label: 'Family' },
  { id: 'preset', label: 'Preset' },
  { id: 'status', label: 'Status' },
  { id: 'steps', label: 'Steps' },
  { id: 'backend', label: 'Backend' },
  { id: 'samples', label: 'Samples' },
  { id: 'tags', label: 'Tags' },
  { id: 'started', label: 'Started' },
];

export const DEFAULT_COLUMNS: ColumnId[] = [
  'name',
  'dataset',
  'version',
  'preset',
  'status',
  'steps',
  'backend',
  'metric:loss:final',
  'started',
];

export function metricColumn(name: string, which: 'final' | 'best'): MetricColumn {
  return `metric:${name}:${which}`;
}

export function parseMetricColumn(id: ColumnId): { name: string; which: 'final' | 'best' } | null {
  const match = /^metric:(.+):(final|best)$/.exec(id);
  return match?.[1] && match[2] ? { name: match[1], which: match[2] as 'final' | 'best' } : null;
}

export function columnLabel(id: ColumnId): string {
  const metric = parseMetricColumn(id);
  if (metric) return `${metric.name} (${metric.which})`;
  return FIXED_COLUMNS.find((c) => c.id === id)?.label ?? id;
}

/** Every metric name any of the runs recorded, sorted. */
export function metricNames(runs: readonly RunSummary[]): string[] {
  return [...new Set(runs.flatMap((r) => Object.keys(r.metricSummary)))].sort();
}

export function runLabel(run: RunSummary): string {
  return run.name ? `#${run.id} ${run.name}` : `#${run.id}`;
}

/** The value a column sorts by: numbers for numbers, text otherwise, null for "nothing". */
export function sortValue(run: RunSummary, column: ColumnId): string | number | null {
  const metric = parseMetricColumn(column);
  if (metric) return run.metricSummary[metric.name]?.[metric.which] ?? null;
  switch (column as FixedColumn) {
    case 'name':
      return run.name ?? null;
    case 'dataset':
      return run.datasetName;
    case 'version':
      return run.versionNumber;
    case 'family':
      return run.family;
    case 'preset':
      return run.presetId;
    case 'status':
      return run.status;
    case 'steps':
      return run.step;
    case 'backend':
      return run.backend;
    case 'samples':
      return run.sampleCount;
    case 'tags':
      return run.tags.join(', ') || null;
    case 'started':
      return run.startedAt ?? run.createdAt;
  }
}

export interface RunFilters {
  search: string;
  dataset: string | null;
  /** `<datasetId>:<versionNumber>` */
  version: string | null;
  family: string | null;
  preset: string | null;
  status: string | null;
  backend: string | null;
  /** Keep runs whose metric (final value) is at most this, e.g. loss ≤ 0.3. */
  metric: { name: string; max: number | null; min: number | null } | null;
}

/**
 * A metric bound as its input gives it: Mantine's NumberInput hands over a number, or the text
 * itself where a number would lose what was typed — a decimal ending in 0 ("222.626320", "0.30"),
 * a trailing point ("216."), 14 digits or more. Such text is still a bound; only text that is no
 * number at all ("", "-", ".") leaves the bound open.
 */
export function boundFromInput(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}

export const NO_FILTERS: RunFilters = {
  search: '',
  dataset: null,
  version: null,
  family: null,
  preset: null,
  status: null,
  backend: null,
  metric: null,
};

export function versionKey(run: RunSummary): string {
  return `${run.datasetId}:${run.versionNumber}`;
}

function matchesSearch(run: RunSummary, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const haystack = [
    `#${run.id}`,
    run.name ?? '',
    run.notes,
    ...run.tags,
    run.datasetName,
    run.presetId,
    run.family,
    run.status,
    run.backend ?? '',
  ]
    .join(' ')
    .toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function filterRuns(runs: readonly RunSummary[], f: RunFilters): RunSummary[] {
  return runs.filter((run) => {
    if (f.dataset !== null && String(run.datasetId) !== f.dataset) return false;
    if (f.version !== null && versionKey(run) !== f.version) return false;
    if (f.family !== null && run.family !== f.family) return false;
    if (f.preset !== null && run.presetId !== f.preset) return false;
    if (f.status !== null && run.status !== f.status) return false;
    if (f.backend !== null && (run.backend ?? '') !== f.backend) return false;
    if (f.metric) {
      const value = run.metricSummary[f.metric.name]?.final;
      if (value === undefined) return false;
      if (f.metric.max !== null && value > f.metric.max) return false;
      if (f.metric.min !== null && value < f.metric.min) return false;
    }
    return matchesSearch(run, f.search);
  });
}

export interface RunSort {
  column: ColumnId;
  descending: boolean;
}

/** Sorts by a column; runs without a value go last either way, ties newest first. */
export function sortRuns(runs: readonly RunSummary[], sort: RunSort | null): RunSummary[] {
  const byId = [...runs].sort((a, b) => b.id - a.id);
  if (!sort) return byId;
  return byId.sort((a, b) => {
    const x = sortValue(a, sort.column);
    const y = sortValue(b, sort.column);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order =
      typeof x === 'number' && typeof y === 'number'
        ? x - y
        : String(x).localeCompare(String(y), undefined, { numeric: true });
    return sort.descending ? -order : order;
  });
}
