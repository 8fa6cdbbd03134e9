import { Text } from '@mantine/core';
import type { RunSummary } from '../../../../preload/contract';
import { formatClock } from '../../common/format';

/** "Last checkpoint: step 500, 14:02": how far back a resume (or a crash) would take the run. */
export function CheckpointLine({ run }: { run: RunSummary }) {
  if (run.checkpointStep === null) {
    return (
      <Text size="xs" c="dimmed" data-testid="run-checkpoint">
        No checkpoint yet
      </Text>
    );
  }
  return (
    <Text size="xs" c="dimmed" data-testid="run-checkpoint" data-step={run.checkpointStep}>
      Last checkpoint: step {run.checkpointStep}
      {run.checkpointAt ? `, ${formatClock(run.checkpointAt)}` : ''}
    </Text>
  );
}
