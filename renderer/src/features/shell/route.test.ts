import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './route';

describe('hash routes', () => {
  const routes: Route[] = [
    { page: 'datasets' },
    { page: 'datasets', datasetId: 7 },
    { page: 'training' },
    { page: 'training', datasetId: 3, runId: 12 },
    { page: 'training', runId: 5 },
    { page: 'gallery' },
    { page: 'gallery', runId: 2 },
    { page: 'compare', runIds: [3, 1, 2] },
    { page: 'backend' },
  ];

  // toEqual treats an absent id and an id set to undefined alike, which is what a route means.
  it.each(routes)('round-trips %o', (route) => {
    expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it('writes the ids a page needs into the hash', () => {
    expect(formatRoute({ page: 'training', datasetId: 3, runId: 12 })).toBe(
      '#/training?dataset=3&run=12',
    );
    expect(formatRoute({ page: 'datasets', datasetId: 7 })).toBe('#/datasets/7');
  });

  it('lands on datasets for an empty or unknown hash', () => {
    expect(parseRoute('')).toEqual({ page: 'datasets', datasetId: undefined });
    expect(parseRoute('#/nowhere')).toEqual({ page: 'datasets', datasetId: undefined });
  });

  it('ignores ids that are not positive integers', () => {
    expect(parseRoute('#/datasets/abc')).toEqual({ page: 'datasets', datasetId: undefined });
    expect(parseRoute('#/training?run=-1&dataset=1.5')).toEqual({
      page: 'training',
      datasetId: undefined,
      runId: undefined,
    });
  });
});
