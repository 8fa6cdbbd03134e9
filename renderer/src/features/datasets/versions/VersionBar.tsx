import { Badge, Button, Group, Paper, Text, Tooltip } from '@mantine/core';
import type { VersionDetail } from '../../../../../preload/contract';
import type { VersionActions } from './useVersions';

/** "Made from generated samples: 7 2, 9 1", per class. */
function syntheticPerClass(version: VersionDetail): string {
  const classes = version.classes
    .filter((c) => c.synthetic > 0)
    .map((c) => `${c.label ?? 'unlabeled'} ${c.synthetic}`);
  return `Made from generated samples: ${classes.join(', ')}`;
}

/** The newest version and how it came about, with the undo of its change one click away. */
export function VersionBar({
  version,
  actions,
  onShowHistory,
}: {
  version: VersionDetail;
  actions: VersionActions;
  onShowHistory: () => void;
}) {
  const canUndo = version.undoTargetId !== null;
  return (
    <Paper withBorder px="md" py="xs" data-testid="version-current" data-number={version.number}>
      <Group justify="space-between" wrap="nowrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <Badge size="lg" variant="light" tt="none" data-testid="version-current-number">
            v{version.number}
          </Badge>
          <Text size="sm" truncate data-testid="version-current-note" title={version.note}>
            {version.note}
          </Text>
        </Group>
        <Group gap="xs" wrap="nowrap">
          <Text size="xs" c="dimmed" data-testid="version-current-split">
            {version.trainCount} train · {version.validationCount} validation
          </Text>
          {version.syntheticCount > 0 && (
            <Tooltip label={syntheticPerClass(version)}>
              <Badge color="grape" variant="light" tt="none" data-testid="version-synthetic">
                {version.syntheticCount} synthetic
              </Badge>
            </Tooltip>
          )}
          <Tooltip
            label={
              canUndo
                ? 'Makes a new version with the content from before this change'
                : 'Nothing left to undo'
            }
          >
            <Button
              size="xs"
              variant="default"
              data-testid="version-undo"
              disabled={!canUndo || actions.pending !== null}
              loading={actions.pending === 'undo'}
              onClick={() => void actions.undo()}
            >
              Undo
            </Button>
          </Tooltip>
          <Button
            size="xs"
            variant="subtle"
            onClick={onShowHistory}
            data-testid="version-history-open"
          >
            History
          </Button>
        </Group>
      </Group>
    </Paper>
  );
}
