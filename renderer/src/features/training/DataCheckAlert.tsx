import { Alert, Text } from '@mantine/core';
import type { DataSufficiency } from '../../../../preload/contract';

/** Whether the data suffices for the chosen preset, with the rule of thumb behind the warning. */
export function DataCheckAlert({ check }: { check: DataSufficiency | undefined }) {
  if (!check || check.ok) return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      title="Little data for this model"
      data-testid="train-data-check"
    >
      <Text size="sm">{check.message}</Text>
      <Text size="xs" c="dimmed">
        Rule of thumb: {check.rule}.
      </Text>
    </Alert>
  );
}
