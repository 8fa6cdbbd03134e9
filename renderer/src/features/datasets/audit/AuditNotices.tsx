import { Alert, Stack, Text } from '@mantine/core';
import type { AuditNotice } from '../../../../../preload/contract';

/**
 * The checks the audit could not make on this dataset (labels the content does not predict, a
 * classifier that could not run): said once, plainly, instead of as findings it does not trust.
 */
export function AuditNotices({ notices }: { notices: readonly AuditNotice[] }) {
  if (notices.length === 0) return null;
  return (
    <Stack gap={4} data-testid="audit-notices">
      {notices.map((n, i) => (
        <Alert
          key={`${n.check}-${i}`}
          variant="light"
          color="gray"
          p="xs"
          data-testid="audit-notice"
          data-check={n.check}
        >
          <Text size="xs">{n.message}</Text>
        </Alert>
      ))}
    </Stack>
  );
}
