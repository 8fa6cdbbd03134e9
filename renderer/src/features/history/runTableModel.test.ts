import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../preload/contract';
import { boundFromInput, filterRuns, NO_FILTERS, sortRuns } from './runTableModel';

function run(id: number, change: Partial<RunSummary>): RunSummary {
  return {
    id,
    datasetId: 1,
    datasetName: 'digits',
    versionId: 1,
    versionNumber: 1,
    versionAuditScore: null,
    family: 'dense-vae',
    presetId: 'vae-tiny',
    status: 'completed',
    step: 60,
    totalSteps: 60,
    backend: 'wasm',
    message: null,
    createdAt: '2026-01-01T00:00:00Z',
    startedAt: null,
    endedAt: null,
    sampleCount: 0,
    lastLoss: null,
    checkpointStep: null,
    checkpointAt: null,
    name: null,
    tags: [],
    notes: '',
    archivedAt: null,
    metricSummary: {},
    ...change,
  };
}

const loss = (final: number, best: number) => ({ loss: { final, best, better: 'lower' as const } });
const runs = [
  run(1, { name: 'baseline', tags: ['vae'], metricSummary: loss(0.5, 0.4) }),
  run(2, { presetId: 'dcgan-tiny', family: 'dcgan', status: 'failed', backend: 'cpu' }),
  run(3, { versionNumber: 2, notes: 'higher beta', metricSummary: loss(0.2, 0.2) }),
];

describe('the runs table model', () => {
  it('filters by each field, by a metric range and by words in names, tags and notes', () => {
    const ids = (f: Partial<typeof NO_FILTERS>) =>
      filterRuns(runs, { ...NO_FILTERS, ...f }).map((r) => r.id);
    expect(ids({ family: 'dcgan' })).toEqual([2]);
    expect(ids({ status: 'completed' })).toEqual([1, 3]);
    expect(ids({ version: '1:2' })).toEqual([3]);
    expect(ids({ metric: { name: 'loss', max: 0.3, min: null } })).toEqual([3]);
    expect(ids({ metric: { name: 'loss', max: null, min: 0.3 } })).toEqual([1]);
    expect(ids({ metric: { name: 'loss', max: 0.5, min: 0.2 } })).toEqual([1, 3]);
    expect(ids({ backend: 'cpu' })).toEqual([2]);
    expect(ids({ backend: 'wasm', dataset: '1' })).toEqual([1, 3]);
    expect(ids({ search: 'BETA' })).toEqual([3]);
    expect(ids({ search: 'vae baseline' })).toEqual([1]);
  });

  // history.spec flaked when its bound, cut to 6 decimals by the input, happened to end in 0:
  // Mantine then hands over the text, and the filter took that for "no bound" (two rows, not one).
  it('reads a bound from the text the metric input hands over, trailing zeros and all', () => {
    expect(boundFromInput(222.62632)).toBe(222.62632);
    expect(boundFromInput('222.626320')).toBe(222.62632);
    expect(boundFromInput('0.30')).toBe(0.3);
    expect(boundFromInput('216.')).toBe(216);
    expect(boundFromInput('12345678.123456')).toBe(12345678.123456);
    for (const open of ['', ' ', '-', '.', '-.']) expect(boundFromInput(open)).toBeNull();
    const lossAtMost = (typed: string | number) =>
      filterRuns(runs, {
        ...NO_FILTERS,
        metric: { name: 'loss', max: boundFromInput(typed), min: null },
      }).map((r) => r.id);
    expect(lossAtMost('0.30')).toEqual(lossAtMost(0.3));
    expect(lossAtMost('0.30')).toEqual([3]);
  });

  it('sorts by a metric with runs lacking it last, and by text naturally', () => {
    const sorted = (column: Parameters<typeof sortRuns>[1]) =>
      sortRuns(runs, column).map((r) => r.id);
    expect(sorted({ column: 'metric:loss:best', descending: false })).toEqual([3, 1, 2]);
    expect(sorted({ column: 'metric:loss:best', descending: true })).toEqual([1, 3, 2]);
    expect(sorted({ column: 'preset', descending: false })).toEqual([2, 3, 1]);
    expect(sorted(null)).toEqual([3, 2, 1]);
  });
});
