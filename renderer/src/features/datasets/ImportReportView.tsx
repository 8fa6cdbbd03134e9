import { Alert, Stack, Text } from '@mantine/core';
import type { ImportReport } from '../../../../preload/contract';
import { SkippedFilesTable } from './SkippedFilesTable';

export function ImportReportView({
  report,
  onClose,
}: {
  report: ImportReport;
  onClose: () => void;
}) {
  const skipped = report.dataset.skippedTotal;
  return (
    <Alert
      data-testid="import-report"
      color={skipped > 0 ? 'yellow' : 'teal'}
      variant="light"
      withCloseButton
      onClose={onClose}
      title={`Imported “${report.dataset.name}”`}
    >
      <Stack gap="xs">
        <Text size="sm">
          <span data-testid="import-imported-count">{report.importedCount}</span> file
          {report.importedCount === 1 ? '' : 's'} imported
          {skipped > 0 ? `, ${skipped} skipped:` : ', none skipped.'}
        </Text>
        {skipped > 0 && <SkippedFilesTable skipped={report.skipped} total={skipped} />}
      </Stack>
    </Alert>
  );
}
