import { Table, Text } from '@mantine/core';
import type { SkippedFile } from '../../../../preload/contract';

/** Files the importer left out, with the reason a person can act on. */
export function SkippedFilesTable({
  skipped,
  total = skipped.length,
  max = 200,
}: {
  skipped: SkippedFile[];
  /** How many were skipped in all; the server lists only the first ones. */
  total?: number;
  max?: number;
}) {
  if (skipped.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        No files were skipped.
      </Text>
    );
  }
  const shown = skipped.slice(0, max);
  return (
    <>
      <Table.ScrollContainer minWidth={400} maxHeight={260}>
        <Table striped verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>File</Table.Th>
              <Table.Th>Reason</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((file, i) => (
              <Table.Tr key={`${file.sourcePath}-${i}`} data-testid="skipped-file">
                <Table.Td ff="monospace" data-testid="skipped-path">
                  {file.sourcePath}
                </Table.Td>
                <Table.Td data-testid="skipped-reason">{file.reason}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {total > shown.length && (
        <Text size="xs" c="dimmed">
          …and {total - shown.length} more.
        </Text>
      )}
    </>
  );
}
