import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { RunAlarmKind, RunSummary } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { isActive } from './useRuns';
import { useRunAlarms } from './useRunAlarms';

const KIND_TITLE: Record<RunAlarmKind, string> = {
  divergence: 'Diverging',
  'mode-collapse': 'Mode collapse',
  overfitting: 'Overfitting',
  memorisation: 'Memorisation rising',
};

/** The alarms a run raised, each at its step, and the way back: roll back to the best checkpoint. */
export function RunAlarms({ run }: { run: RunSummary }) {
  const { value, error, reload, rollback, pending, rollbackError } = useRunAlarms(run.id);
  const alarms = value?.alarms ?? [];
  const best = value?.best ?? null;
  // Rolling back means something once an alarm fired or the run went past its best checkpoint.
  const behindBest = best !== null && best.step < run.step;
  const canRollBack = best !== null && !isActive(run.status) && (alarms.length > 0 || behindBest);
  if (!error && alarms.length === 0 && !behindBest) return null;
  return (
    <Stack gap="xs" data-testid="run-alarms">
      <ErrorAlert error={error} title="Could not load the run's alarms" onRetry={reload} />
      {alarms.map((alarm) => (
        <Alert
          key={alarm.id}
          color={alarm.kind === 'divergence' ? 'red' : 'orange'}
          variant="light"
          title={`${KIND_TITLE[alarm.kind]} · step ${alarm.step}`}
          data-testid="run-alarm"
          data-kind={alarm.kind}
          data-step={alarm.step}
        >
          {alarm.message}
        </Alert>
      ))}
      {best && (
        <Group gap="xs">
          <Text size="xs" c="dimmed" data-testid="run-best" data-step={best.step}>
            Best checkpoint: step {best.step}
            {best.value === null ? '' : ` (${best.metric} ${best.value.toPrecision(4)})`}
          </Text>
          {canRollBack && (
            <>
              <Button
                size="xs"
                variant="light"
                data-testid="run-rollback-continue"
                loading={pending === 'continue'}
                onClick={() => void rollback(true)}
              >
                Roll back to best and continue
              </Button>
              <Button
                size="xs"
                variant="subtle"
                data-testid="run-rollback-end"
                loading={pending === 'end'}
                onClick={() => void rollback(false)}
              >
                End the run there
              </Button>
            </>
          )}
        </Group>
      )}
      <ErrorAlert error={rollbackError} title="Could not roll back" />
    </Stack>
  );
}
