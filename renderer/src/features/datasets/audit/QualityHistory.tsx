import { Card, Stack, Table, Text, Title } from '@mantine/core';
import type { VersionQuality } from '../../../../../preload/contract';
import { FINDING_TYPE_NAMES } from './auditLabels';
import { compareQuality, formatChange, type QualityCell } from './qualityComparison';

/** A change is good when findings go down or the score goes up. */
function Change({ cell, higherIsBetter }: { cell: QualityCell; higherIsBetter: boolean }) {
  if (cell.change === null || cell.change === 0) return null;
  const better = higherIsBetter ? cell.change > 0 : cell.change < 0;
  return (
    <Text span size="xs" c={better ? 'teal' : 'red'} ml={4} data-testid="quality-change">
      {formatChange(cell.change)}
    </Text>
  );
}

/**
 * Versions × finding counts and score, each with its change from the audited version before it:
 * after a fix and a new audit, what the fix improved.
 */
export function QualityHistory({
  history,
  currentVersionId,
}: {
  history: readonly VersionQuality[];
  currentVersionId: number;
}) {
  const { types, rows } = compareQuality(history);
  return (
    <Card withBorder data-testid="quality-history">
      <Stack gap="xs">
        <Title order={5}>Quality across versions</Title>
        {rows.length < 2 && (
          <Text size="sm" c="dimmed" data-testid="quality-history-hint">
            Fix something and run the audit again to compare versions here.
          </Text>
        )}
        <Table.ScrollContainer minWidth={480}>
          <Table striped withTableBorder fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Version</Table.Th>
                <Table.Th>Score</Table.Th>
                <Table.Th>Findings</Table.Th>
                {types.map((type) => (
                  <Table.Th key={type}>{FINDING_TYPE_NAMES[type]}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...rows].reverse().map((row) => (
                <Table.Tr
                  key={row.versionId}
                  data-testid="quality-row"
                  data-version-number={row.versionNumber}
                >
                  <Table.Td>
                    <Text size="sm" fw={row.versionId === currentVersionId ? 700 : 400}>
                      v{row.versionNumber}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={1} title={row.note}>
                      {row.note}
                    </Text>
                  </Table.Td>
                  <Table.Td data-testid="quality-score" data-value={row.score?.value ?? ''}>
                    {row.score ? (
                      <>
                        {row.score.value}
                        <Change cell={row.score} higherIsBetter />
                      </>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                  <Table.Td
                    data-testid="quality-total"
                    data-value={row.total.value}
                    data-change={row.total.change ?? ''}
                  >
                    {row.total.value}
                    <Change cell={row.total} higherIsBetter={false} />
                  </Table.Td>
                  {types.map((type) => {
                    const cell = row.counts[type] as QualityCell;
                    return (
                      <Table.Td
                        key={type}
                        data-testid="quality-count"
                        data-type={type}
                        data-value={cell.value}
                        data-change={cell.change ?? ''}
                      >
                        {cell.value}
                        <Change cell={cell} higherIsBetter={false} />
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Card>
  );
}
