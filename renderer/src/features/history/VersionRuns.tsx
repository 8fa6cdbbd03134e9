import { Anchor, Card, Group, Stack, Text } from '@mantine/core';
import { useRunList } from '../../common/useRunList';
import { formatLoss } from '../../common/format';
import { StatusBadge } from '../training/RunPanel';
import { formatRoute } from '../shell/route';
import { runLabel } from './runTableModel';

/**
 * The way back along the lineage: each version of a dataset with the runs trained on it (and its
 * audit score), each run a link to its view and its samples.
 */
export function VersionRuns({ datasetId }: { datasetId: number }) {
  const { runs } = useRunList(true);
  const ofDataset = runs.filter((r) => r.datasetId === datasetId);
  const versions = [...new Set(ofDataset.map((r) => r.versionNumber))].sort((a, b) => b - a);
  return (
    <Card withBorder data-testid="version-runs">
      <Text fw={600} mb="xs">
        Runs on each version
      </Text>
      {versions.length === 0 ? (
        <Text size="sm" c="dimmed">
          No run has trained on this dataset yet.
        </Text>
      ) : (
        <Stack gap="xs">
          {versions.map((number) => {
            const onVersion = ofDataset.filter((r) => r.versionNumber === number);
            const score = onVersion[0]?.versionAuditScore ?? null;
            return (
              <Group
                key={number}
                gap="sm"
                align="flex-start"
                data-testid="version-runs-row"
                data-version={number}
              >
                <Text size="sm" fw={600} w={140}>
                  v{number}
                  {score !== null ? ` · audit ${Math.round(score)}` : ' · not audited'}
                </Text>
                <Group gap="md" style={{ flex: 1 }}>
                  {onVersion.map((run) => (
                    <Group key={run.id} gap={4} wrap="nowrap">
                      <Anchor
                        size="sm"
                        href={formatRoute({ page: 'training', datasetId, runId: run.id })}
                        data-testid="version-run-link"
                      >
                        {runLabel(run)} {run.presetId}
                      </Anchor>
                      <StatusBadge status={run.status} />
                      <Text size="xs" c="dimmed">
                        loss {formatLoss(run.metricSummary['loss']?.final ?? run.lastLoss)} ·{' '}
                        <Anchor size="xs" href={formatRoute({ page: 'gallery', runId: run.id })}>
                          {run.sampleCount} samples
                        </Anchor>
                      </Text>
                    </Group>
                  ))}
                </Group>
              </Group>
            );
          })}
        </Stack>
      )}
    </Card>
  );
}
