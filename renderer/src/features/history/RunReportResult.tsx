import { Alert, Anchor, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../common/ErrorAlert';
import { useStudio } from '../../api/StudioContext';
import type { useRunReport } from './useRunReport';

/**
 * Where the run's report was written, and in the browser a link to download it: the file opens
 * offline in any browser (no script, everything inside it).
 */
export function RunReportResult({ report }: { report: ReturnType<typeof useRunReport> }) {
  const { shell } = useStudio();
  const { result, error } = report;
  const url = result?.reportId ? shell.exportDownloadUrl(result.reportId) : null;
  return (
    <>
      <ErrorAlert error={error} title="Could not write the report" onClose={report.dismiss} />
      {result && (
        <Alert
          data-testid="run-report-result"
          color="teal"
          variant="light"
          title="Report written"
          withCloseButton
          onClose={report.dismiss}
          mb="sm"
        >
          <Stack gap={4}>
            <Text size="sm">
              One HTML file that opens offline in any browser:{' '}
              <Text span ff="monospace" data-testid="run-report-path">
                {result.path}
              </Text>
            </Text>
            {url && (
              <Anchor href={url} download data-testid="run-report-link" size="sm" fw={600}>
                Download the report
              </Anchor>
            )}
          </Stack>
        </Alert>
      )}
    </>
  );
}
