import {
  Button,
  Card,
  Checkbox,
  EmptyState,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import type { SampleView } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useStudio } from '../../api/StudioContext';
import type { Navigate } from '../shell/route';
import { useRunList } from '../../common/useRunList';
import { ExportPanel } from './ExportPanel';
import { useSamples } from '../../common/useSamples';
import { useExportSamples } from './useExportSamples';

/** Rendering thousands of cards at once stalls the page; more are shown on request. */
const SHOWN_STEP = 240;

function SampleCard({
  sample,
  selected,
  onToggle,
}: {
  sample: SampleView;
  selected: boolean;
  onToggle: () => void;
}) {
  const { shell } = useStudio();
  return (
    <Card
      data-testid="sample-card"
      data-sample-id={sample.id}
      withBorder
      padding={6}
      style={{
        borderColor: selected ? 'var(--mantine-color-indigo-5)' : undefined,
        cursor: 'pointer',
      }}
      onClick={onToggle}
    >
      {sample.kind === 'text' ? (
        <Text
          data-testid="sample-text"
          size="xs"
          ff="monospace"
          style={{ whiteSpace: 'pre-wrap', minHeight: 80, maxHeight: 160, overflow: 'hidden' }}
        >
          {sample.text}
        </Text>
      ) : (
        <img
          src={shell.mediaUrl('sample', sample.id)}
          alt={`Run ${sample.runId}, step ${sample.step}, sample ${sample.index}`}
          loading="lazy"
          style={{
            width: '100%',
            aspectRatio: `${sample.width} / ${sample.height}`,
            imageRendering: sample.width <= 64 ? 'pixelated' : 'auto',
            borderRadius: 4,
            background: 'var(--mantine-color-gray-2)',
            display: 'block',
          }}
        />
      )}
      <Group justify="space-between" mt={4} wrap="nowrap" gap={4}>
        <Text size="xs" c="dimmed" truncate>
          #{sample.runId} · step {sample.step}
        </Text>
        <Checkbox
          size="xs"
          data-testid="sample-select"
          aria-label={`Select sample ${sample.id}`}
          checked={selected}
          onClick={(e) => e.stopPropagation()}
          onChange={onToggle}
        />
      </Group>
    </Card>
  );
}

export function GalleryPage({
  runId,
  navigate,
}: {
  runId: number | undefined;
  navigate: Navigate;
}) {
  const runList = useRunList();
  const samples = useSamples(runId);
  const exporter = useExportSamples();
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  const [shownFor, setShownFor] = useState({ runId, count: SHOWN_STEP });
  const shown = shownFor.runId === runId ? shownFor.count : SHOWN_STEP;

  // Newest first: the latest samples are what a person came to look at.
  const list = useMemo(
    () =>
      [...(samples.value ?? [])].sort(
        (a, b) => b.runId - a.runId || b.step - a.step || a.index - b.index,
      ),
    [samples.value],
  );
  // A selection only counts samples that are on this page (the run filter may have changed).
  const selected = useMemo(() => {
    const kept = new Set<number>();
    for (const s of list) if (chosen.has(s.id)) kept.add(s.id);
    return kept;
  }, [list, chosen]);

  const toggle = (id: number) =>
    setChosen((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const allSelected = list.length > 0 && selected.size === list.length;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>Gallery</Title>
        <NativeSelect
          aria-label="Run"
          data-testid="gallery-run-select"
          value={runId === undefined ? '' : String(runId)}
          onChange={(e) => {
            const value = e.currentTarget.value;
            navigate({ page: 'gallery', runId: value ? Number(value) : undefined });
          }}
          data={[
            { value: '', label: 'All runs' },
            ...runList.runs.map((r) => ({
              value: String(r.id),
              label: `Run #${r.id} · ${r.datasetName} · ${r.presetId} (${r.sampleCount})`,
            })),
          ]}
          w={340}
        />
      </Group>
      <ErrorAlert error={samples.error} title="Could not list samples" onRetry={samples.reload} />
      <Card withBorder>
        <ExportPanel selectedIds={[...selected]} exporter={exporter} />
      </Card>
      {!samples.value && samples.loading && <Loader size="sm" />}
      {samples.value && list.length === 0 && (
        <EmptyState
          data-testid="gallery-empty"
          title={runId === undefined ? 'No samples yet' : `Run #${runId} has no samples yet`}
          description="Samples are drawn while a model trains. Start a run on the Training page and they appear here as it learns."
        >
          <EmptyState.Actions>
            <Button variant="light" onClick={() => navigate({ page: 'training' })}>
              Go to Training
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      )}
      {list.length > 0 && (
        <>
          <Group justify="space-between">
            <Checkbox
              data-testid="select-all"
              label={`Select all (${list.length})`}
              checked={allSelected}
              indeterminate={selected.size > 0 && !allSelected}
              onChange={() => setChosen(allSelected ? new Set() : new Set(list.map((s) => s.id)))}
            />
            <Text size="sm" c="dimmed" data-testid="sample-count">
              {selected.size} selected · {list.length} samples
            </Text>
          </Group>
          <div
            data-testid="sample-grid"
            style={{
              display: 'grid',
              gridTemplateColumns: 'repeat(auto-fill, minmax(112px, 1fr))',
              gap: 8,
            }}
          >
            {list.slice(0, shown).map((s) => (
              <SampleCard
                key={s.id}
                sample={s}
                selected={selected.has(s.id)}
                onToggle={() => toggle(s.id)}
              />
            ))}
          </div>
          {list.length > shown && (
            <Button
              variant="default"
              onClick={() => setShownFor({ runId, count: shown + SHOWN_STEP })}
              data-testid="samples-show-more"
            >
              Show more ({list.length - shown} hidden)
            </Button>
          )}
        </>
      )}
    </Stack>
  );
}
