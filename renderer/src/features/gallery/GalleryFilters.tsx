import { Group, NativeSelect, NumberInput, SegmentedControl } from '@mantine/core';
import type { ModelFamily, RunSummary, SampleQuery } from '../../../../preload/contract';

export type GalleryFilterState = Omit<SampleQuery, 'offset' | 'limit' | 'runIds'>;

const FAMILIES: ModelFamily[] = ['dense-vae', 'conv-vae', 'dcgan', 'char-rnn', 'char-gpt'];

/**
 * Dataset, run, family, step range, mark and whether an evaluation judged the sample: the gallery's
 * filters (the run is in the route).
 */
export function GalleryFilters({
  runs,
  runId,
  onRunChange,
  filters,
  onChange,
}: {
  runs: readonly RunSummary[];
  runId: number | undefined;
  onRunChange: (runId: number | undefined) => void;
  filters: GalleryFilterState;
  onChange: (filters: GalleryFilterState) => void;
}) {
  const datasets = [...new Map(runs.map((r) => [r.datasetId, r.datasetName])).entries()];
  const set = <K extends keyof GalleryFilterState>(key: K, value: GalleryFilterState[K]) => {
    const next = { ...filters };
    if (value === undefined) delete next[key];
    else next[key] = value;
    onChange(next);
  };
  const shownRuns = runs.filter(
    (r) => filters.datasetId === undefined || r.datasetId === filters.datasetId,
  );
  return (
    <Group gap="sm" align="flex-end" data-testid="gallery-filters">
      <NativeSelect
        label="Dataset"
        data-testid="gallery-dataset-select"
        value={filters.datasetId === undefined ? '' : String(filters.datasetId)}
        onChange={(e) =>
          set('datasetId', e.currentTarget.value ? Number(e.currentTarget.value) : undefined)
        }
        data={[
          { value: '', label: 'All datasets' },
          ...datasets.map(([id, name]) => ({ value: String(id), label: name })),
        ]}
        w={160}
      />
      <NativeSelect
        label="Run"
        aria-label="Run"
        data-testid="gallery-run-select"
        value={runId === undefined ? '' : String(runId)}
        onChange={(e) =>
          onRunChange(e.currentTarget.value ? Number(e.currentTarget.value) : undefined)
        }
        data={[
          { value: '', label: 'All runs' },
          ...shownRuns.map((r) => ({
            value: String(r.id),
            label: `#${r.id} · ${r.datasetName} · ${r.presetId} (${r.sampleCount})`,
          })),
        ]}
        w={260}
      />
      <NativeSelect
        label="Family"
        data-testid="gallery-family-select"
        value={filters.family ?? ''}
        onChange={(e) =>
          set('family', (e.currentTarget.value || undefined) as ModelFamily | undefined)
        }
        data={[{ value: '', label: 'All families' }, ...FAMILIES]}
        w={130}
      />
      <NumberInput
        label="From step"
        data-testid="gallery-min-step"
        min={0}
        value={filters.minStep ?? ''}
        onChange={(v) => set('minStep', typeof v === 'number' ? v : undefined)}
        w={100}
      />
      <NumberInput
        label="To step"
        data-testid="gallery-max-step"
        min={0}
        value={filters.maxStep ?? ''}
        onChange={(v) => set('maxStep', typeof v === 'number' ? v : undefined)}
        w={100}
      />
      <SegmentedControl
        data-testid="gallery-rating-filter"
        value={filters.rating ?? 'all'}
        onChange={(v) =>
          set('rating', v === 'all' ? undefined : (v as GalleryFilterState['rating']))
        }
        data={[
          { value: 'all', label: 'All' },
          { value: 'starred', label: '★ Starred' },
          { value: 'rejected', label: '✕ Rejected' },
          { value: 'kept', label: 'Not rejected' },
        ]}
      />
      <NativeSelect
        label="Evaluation"
        data-testid="gallery-evaluated-select"
        value={filters.evaluated === undefined ? '' : String(filters.evaluated)}
        onChange={(e) =>
          set('evaluated', e.currentTarget.value ? e.currentTarget.value === 'true' : undefined)
        }
        data={[
          { value: '', label: 'All samples' },
          { value: 'true', label: 'Evaluated' },
          { value: 'false', label: 'Not evaluated' },
        ]}
        w={140}
      />
    </Group>
  );
}
