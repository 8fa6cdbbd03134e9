import { Alert, Button, Group } from '@mantine/core';
import type { StudioError } from '../../../preload/contract';

/** Shows the sentence the core wrote for a person; never a stack trace. */
export function ErrorAlert({
  error,
  title = 'Something went wrong',
  onRetry,
  onClose,
}: {
  error: StudioError | null;
  title?: string;
  onRetry?: () => void;
  onClose?: () => void;
}) {
  if (!error) return null;
  return (
    <Alert
      color="red"
      variant="light"
      title={title}
      data-testid="error-alert"
      withCloseButton={Boolean(onClose)}
      onClose={onClose}
    >
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        <span>{error.message}</span>
        {onRetry && (
          <Button size="xs" variant="default" onClick={onRetry}>
            Try again
          </Button>
        )}
      </Group>
    </Alert>
  );
}
