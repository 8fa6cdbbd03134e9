import { Badge, Group, Text } from '@mantine/core';
import type { GroupEvaluationFigure, SampleGroup } from '../../../../preload/contract';

export const GROUP_HEADER_HEIGHT = 30;

// Short names for the headline figures (the rest keep their metric name).
const FIGURE_LABEL: Record<string, string> = {
  frechet_distance: 'FD',
  precision: 'precision',
  recall: 'recall',
  near_copy_share: 'near copies',
  val_bpc: 'bits/char',
  word3_overlap: 'word-3 overlap',
  longest_copy: 'longest copy',
};
const SHARES = new Set(['precision', 'recall', 'near_copy_share', 'word3_overlap']);

function figureText({ name, value }: GroupEvaluationFigure): string {
  const shown = SHARES.has(name)
    ? `${(value * 100).toFixed(0)}%`
    : Number.isInteger(value) || Math.abs(value) >= 100
      ? String(Math.round(value))
      : value.toPrecision(3);
  return `${FIGURE_LABEL[name] ?? name} ${shown}`;
}

/** A (run, step) group's header row: which run, what model, which data, how many samples. */
export function SampleGroupHeader({ group }: { group: SampleGroup }) {
  const figures = group.evaluation?.figures ?? [];
  return (
    <Group
      data-testid="sample-group-header"
      data-run-id={group.runId}
      data-step={group.step}
      data-count={group.count}
      gap={8}
      wrap="nowrap"
      style={{
        height: GROUP_HEADER_HEIGHT - 4,
        borderBottom: '1px solid var(--mantine-color-gray-3)',
        overflow: 'hidden',
      }}
    >
      <Text size="sm" fw={700} style={{ whiteSpace: 'nowrap' }}>
        Run #{group.runId}
        {group.runName ? ` ${group.runName}` : ''} · step {group.step}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {group.family} · {group.presetId} · {group.datasetName} v{group.versionNumber} ·{' '}
        {group.count} {group.count === 1 ? 'sample' : 'samples'}
      </Text>
      {group.evaluation && figures.length > 0 && (
        <Badge
          size="sm"
          variant="light"
          color="grape"
          data-testid="sample-group-evaluation"
          title={`The run's newest evaluation, at step ${group.evaluation.step}`}
          style={{ textTransform: 'none', flexShrink: 1, minWidth: 0 }}
        >
          eval @ {group.evaluation.step}: {figures.map(figureText).join(' · ')}
        </Badge>
      )}
    </Group>
  );
}
