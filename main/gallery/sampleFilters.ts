import type { SampleFilters } from '../../preload/contract';

/** The tables every gallery read starts from: a sample, its run, the run's dataset and version. */
export const SAMPLE_FROM = `
  FROM samples s
  JOIN runs r ON r.id = s.run_id
  JOIN datasets d ON d.id = r.dataset_id
  JOIN dataset_versions v ON v.id = r.version_id`;

// The evaluation's evidence is read with the page (a primary-key lookup per row), not counted.
export const EVIDENCE_JOIN = `LEFT JOIN sample_evaluations e ON e.sample_id = s.id`;

export interface FilterClause {
  /** `WHERE …` or '' when no filter is set; bound parameters only. */
  clause: string;
  params: (number | string)[];
  /** The clause reads the evidence join (the evaluated filter), so a count must join it too. */
  readsEvidence: boolean;
}

/** The WHERE of the filters that are set, shared by the page, the count and the groups. */
export function filterClause(filters: SampleFilters): FilterClause {
  const where: string[] = [];
  const params: (number | string)[] = [];
  if (filters.datasetId !== undefined) {
    where.push('r.dataset_id = ?');
    params.push(filters.datasetId);
  }
  if (filters.runIds && filters.runIds.length > 0) {
    where.push(`s.run_id IN (${filters.runIds.map(() => '?').join(', ')})`);
    params.push(...filters.runIds);
  }
  if (filters.family !== undefined) {
    where.push('r.family = ?');
    params.push(filters.family);
  }
  if (filters.minStep !== undefined) {
    where.push('s.step >= ?');
    params.push(filters.minStep);
  }
  if (filters.maxStep !== undefined) {
    where.push('s.step <= ?');
    params.push(filters.maxStep);
  }
  if (filters.rating === 'starred' || filters.rating === 'rejected') {
    where.push('s.rating = ?');
    params.push(filters.rating);
  } else if (filters.rating === 'unrated') where.push('s.rating IS NULL');
  else if (filters.rating === 'kept') where.push(`(s.rating IS NULL OR s.rating = 'starred')`);

  if (filters.evaluated === true) where.push('e.sample_id IS NOT NULL');
  else if (filters.evaluated === false) where.push('e.sample_id IS NULL');

  return {
    clause: where.length > 0 ? `WHERE ${where.join(' AND ')}` : '',
    params,
    readsEvidence: filters.evaluated !== undefined,
  };
}
