import { Button, Card, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useStudio } from '../../api/StudioContext';
import { settle } from '../../api/studio';
import type { SampleGroup } from '../../../../preload/contract';
import type { Navigate } from '../shell/route';
import { useRunList } from '../../common/useRunList';
import { columnsFor } from '../datasets/browse/virtualWindow';
import { AddToDatasetPanel } from './AddToDatasetPanel';
import { ExportPanel } from './ExportPanel';
import { GalleryFilters, type GalleryFilterState } from './GalleryFilters';
import { GroupedSampleGrid } from './GroupedSampleGrid';
import { groupLayout, tileRowAt, tileRowOf, verticalNeighbour } from './groupLayout';
import { GROUP_HEADER_HEIGHT, SampleGroupHeader } from './SampleGroupHeader';
import { SampleLightbox } from './SampleLightbox';
import { SampleTile, TILE_HEIGHT, TILE_WIDTH } from './SampleTile';
import { useAddToDataset } from './useAddToDataset';
import { useExportSamples } from './useExportSamples';
import { useSampleRatings } from './useSampleRatings';
import { useSampleWindow } from './useSampleWindow';

const GAP = 8;
const GRID_HEIGHT = 600;

const flip = (id: number) => (prev: Set<number>) => {
  const next = new Set(prev);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
};

const renderHeader = (group: SampleGroup) => <SampleGroupHeader group={group} />;

export function GalleryPage({
  runId,
  navigate,
}: {
  runId: number | undefined;
  navigate: Navigate;
}) {
  const api = useStudio();
  const runList = useRunList();
  const exporter = useExportSamples();
  const adder = useAddToDataset();
  const ratings = useSampleRatings();
  const [filters, setFilters] = useState<GalleryFilterState>({});
  const query = useMemo(
    () => ({ ...filters, ...(runId === undefined ? {} : { runIds: [runId] }) }),
    [filters, runId],
  );
  const samples = useSampleWindow(query);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  // Tiles showing their nearest training item instead of the sample.
  const [nearestShown, setNearestShown] = useState<Set<number>>(new Set());
  const [focus, setFocus] = useState(0);
  const [lightbox, setLightbox] = useState(false);
  const [columns, setColumns] = useState(1);
  const wrapper = useRef<HTMLDivElement>(null);
  // Rows of the grid: a header per (run, step) group, then its samples; null until the groups
  // arrive (the first page comes with them, so the first tiles wait for neither).
  const layout = useMemo(
    () =>
      samples.groups &&
      groupLayout(samples.groups.groups, columns, {
        headerHeight: GROUP_HEADER_HEIGHT,
        tileRowHeight: TILE_HEIGHT + GAP,
      }),
    [samples.groups, columns],
  );
  const total = layout?.count ?? 0;
  const hasSamples = total > 0;
  const { sampleAt: fetchedAt } = samples;
  const { withMark } = ratings;
  const sampleAt = useCallback(
    (index: number) => {
      const sample = fetchedAt(index);
      return sample && withMark(sample);
    },
    [fetchedAt, withMark],
  );

  // The grid's columns, as VirtualGrid lays them out, so up and down move by a row.
  const scroller = () =>
    wrapper.current?.querySelector<HTMLDivElement>('[data-testid="sample-grid"]');
  useEffect(() => {
    const element = scroller();
    if (!element) return;
    const measure = () => setColumns(columnsFor(element.clientWidth, TILE_WIDTH, GAP));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasSamples]);

  // The starred count under these filters: what export takes when nothing is chosen.
  const [starredCount, setStarredCount] = useState(0);
  const starredQuery = useMemo(() => ({ ...query, rating: 'starred' as const }), [query]);
  useEffect(() => {
    void settle(api.samples.query({ ...starredQuery, limit: 1 })).then((o) => {
      if (o.ok) setStarredCount(o.value.total);
    });
  }, [api, starredQuery, ratings.changes]);
  const starredIds = useCallback(async () => {
    const ids: number[] = [];
    for (let offset = 0; ;) {
      const page = await settle(api.samples.query({ ...starredQuery, offset, limit: 1000 }));
      if (!page.ok) return ids;
      ids.push(...page.value.samples.map((s) => s.id));
      offset += page.value.samples.length;
      if (page.value.samples.length === 0 || offset >= page.value.total) return ids;
    }
  }, [api, starredQuery]);

  const moveFocus = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    setFocus(next);
    const element = scroller();
    const row = layout && tileRowAt(layout, tileRowOf(layout, next));
    if (!element || !row) return;
    // The first row of a group brings its header into view with it.
    const top = row.firstOfGroup ? row.top - GROUP_HEADER_HEIGHT : row.top;
    const bottom = row.top + TILE_HEIGHT + GAP;
    if (top < element.scrollTop) element.scrollTop = top;
    else if (bottom > element.scrollTop + element.clientHeight) {
      element.scrollTop = bottom - element.clientHeight;
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.target instanceof HTMLInputElement && event.target.type !== 'checkbox') return;
    // The add-to-dataset dialog's keys are its own (a portal's events bubble here through React).
    if (adder.plan) return;
    const sample = sampleAt(focus);
    // Left and right (and every arrow in the lightbox) go sample by sample, across groups; up and
    // down go a row, over a group's header into the next group's row.
    const step: Record<string, number> = { ArrowLeft: -1, ArrowRight: 1 };
    if (lightbox) Object.assign(step, { ArrowUp: -1, ArrowDown: 1 });
    const vertical = { ArrowUp: -1, ArrowDown: 1 } as const;
    const delta = step[event.key];
    const rowDirection = lightbox ? undefined : vertical[event.key as keyof typeof vertical];
    if (delta !== undefined) moveFocus(focus + delta);
    else if (rowDirection !== undefined && layout) {
      moveFocus(verticalNeighbour(layout, focus, rowDirection));
    } else if (event.key === 'Home') moveFocus(0);
    else if (event.key === 'End') moveFocus(total - 1);
    else if (event.key === 's' && sample) void ratings.toggle(sample, 'starred');
    else if (event.key === 'x' && sample) void ratings.toggle(sample, 'rejected');
    else if (event.key === 'Enter' && sample) setLightbox(true);
    else if (event.key === ' ' && sample) toggle(sample.id);
    else if (event.key === 'n' && sample?.evaluation?.kind === 'image') toggleNearest(sample.id);
    else return;
    event.preventDefault();
  };

  // Stable, so the memoised tiles re-render only when their own sample, focus or choice changes.
  const toggle = useCallback((id: number) => setChosen(flip(id)), []);
  const toggleNearest = useCallback((id: number) => setNearestShown(flip(id)), []);
  const focusTile = useCallback((index: number) => {
    setFocus(index);
    wrapper.current?.focus();
  }, []);
  const openTile = useCallback((index: number) => {
    setFocus(index);
    setLightbox(true);
  }, []);
  const renderCell = useCallback(
    (index: number, deferImages: boolean) => {
      const sample = sampleAt(index);
      if (!sample) {
        return (
          <div
            key={`pending-${index}`}
            style={{
              height: TILE_HEIGHT,
              borderRadius: 6,
              background: 'var(--mantine-color-gray-1)',
            }}
          />
        );
      }
      return (
        <SampleTile
          key={sample.id}
          sample={sample}
          index={index}
          focused={index === focus}
          selected={chosen.has(sample.id)}
          onFocus={focusTile}
          onOpen={openTile}
          onToggle={toggle}
          showNearest={nearestShown.has(sample.id)}
          onToggleNearest={toggleNearest}
          deferImage={deferImages}
        />
      );
    },
    [sampleAt, focus, chosen, nearestShown, focusTile, openTile, toggle, toggleNearest],
  );
  const setRun = (value: number | undefined) => {
    setFocus(0);
    setChosen(new Set());
    navigate({ page: 'gallery', runId: value });
  };

  return (
    <Stack gap="md" onKeyDown={onKeyDown}>
      <Group justify="space-between">
        <Title order={2}>Gallery</Title>
        <Text size="sm" c="dimmed">
          Arrows move · s star · x reject · Enter opens · Space selects · n nearest training item
        </Text>
      </Group>
      <GalleryFilters
        runs={runList.runs}
        runId={runId}
        onRunChange={setRun}
        filters={filters}
        onChange={(next) => {
          setFocus(0);
          setFilters(next);
        }}
      />
      <ErrorAlert error={samples.error} title="Could not list samples" onRetry={samples.retry} />
      <ErrorAlert error={ratings.error} title="Could not save the mark" onClose={ratings.dismiss} />
      <Card withBorder>
        <ExportPanel
          selectedIds={[...chosen]}
          starredCount={starredCount}
          starredIds={starredIds}
          exporter={exporter}
        />
      </Card>
      <Card withBorder>
        <AddToDatasetPanel
          selectedIds={[...chosen]}
          starredCount={starredCount}
          starredIds={starredIds}
          adder={adder}
          onOpenDataset={(datasetId) => navigate({ page: 'datasets', datasetId })}
        />
      </Card>
      {samples.total === null && !samples.error && <Loader size="sm" />}
      {samples.total === 0 && (
        <EmptyState
          data-testid="gallery-empty"
          title={
            runId === undefined ? 'No samples match' : `Run #${runId} has no samples that match`
          }
          description="Samples are drawn while a model trains. Start a run on the Training page, or loosen the filters."
        >
          <EmptyState.Actions>
            <Button variant="light" onClick={() => navigate({ page: 'training' })}>
              Go to Training
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      )}
      {layout && total > 0 && (
        <div ref={wrapper} tabIndex={0} data-testid="gallery-grid-focus" aria-label="Samples">
          <Group justify="space-between" mb={6}>
            <Text size="sm" c="dimmed" data-testid="sample-count">
              {chosen.size} selected · {starredCount} starred · {total} samples
            </Text>
            {chosen.size > 0 && (
              <Button size="xs" variant="subtle" onClick={() => setChosen(new Set())}>
                Clear selection
              </Button>
            )}
          </Group>
          <GroupedSampleGrid
            testId="sample-grid"
            layout={layout}
            cellWidth={TILE_WIDTH}
            cellHeight={TILE_HEIGHT}
            gap={GAP}
            height={GRID_HEIGHT}
            onRangeChange={samples.ensureRange}
            renderHeader={renderHeader}
            renderCell={renderCell}
          />
        </div>
      )}
      {lightbox && (
        <SampleLightbox
          sample={sampleAt(focus)}
          position={focus}
          total={total}
          onEvaluated={samples.refresh}
          onClose={() => {
            setLightbox(false);
            wrapper.current?.focus();
          }}
        />
      )}
    </Stack>
  );
}
