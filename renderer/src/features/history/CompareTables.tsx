import { Card, Table, Text } from '@mantine/core';
import type { ConfigValue, RunComparison } from '../../../../preload/contract';
import { formatLoss } from '../../common/format';
import { directionLabel } from '../../../../shared/runs/metricDirection';
import { runLabel } from './runTableModel';

function formatConfig(value: ConfigValue): string {
  if (value === null) return '—';
  return typeof value === 'number' && !Number.isInteger(value)
    ? String(Number(value.toPrecision(6)))
    : String(value);
}

/** The metrics table (a row per run, best of each column marked) and the config diff. */
export function CompareTables({ comparison }: { comparison: RunComparison }) {
  const { runs, metrics, configDiff } = comparison;
  return (
    <>
      <Card withBorder p={0}>
        <Text fw={600} p="md" pb="xs">
          Metrics (best value over training; ★ best of the runs)
        </Text>
        <Table.ScrollContainer minWidth={480}>
          <Table fz="sm" verticalSpacing={6} data-testid="compare-metrics">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Run</Table.Th>
                {metrics.map((m) => (
                  <Table.Th key={m.name} ta="right">
                    {m.name}{' '}
                    <Text span size="xs" c="dimmed">
                      {m.bestRunId === null ? '(schedule)' : `(${directionLabel(m.better)} better)`}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((run, i) => (
                <Table.Tr key={run.id} data-testid="compare-metrics-row" data-run-id={run.id}>
                  <Table.Td fw={500}>{runLabel(run)}</Table.Td>
                  {metrics.map((m) => {
                    const value = m.values[i];
                    const best = m.bestRunId === run.id;
                    return (
                      <Table.Td
                        key={m.name}
                        ta="right"
                        fw={best ? 700 : undefined}
                        c={best ? 'teal.8' : undefined}
                        data-best={best}
                        data-testid={`compare-metric-${m.name}`}
                        title={value ? `final ${formatLoss(value.final)}` : undefined}
                      >
                        {value ? formatLoss(value.best) : '—'}
                        {best ? ' ★' : ''}
                      </Table.Td>
                    );
                  })}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      <Card withBorder p={0}>
        <Text fw={600} p="md" pb="xs">
          Config diff (
          {configDiff.length === 0
            ? 'the configs are the same'
            : `${configDiff.length} keys differ`}
          )
        </Text>
        {configDiff.length > 0 && (
          <Table.ScrollContainer minWidth={480}>
            <Table fz="sm" verticalSpacing={6} data-testid="compare-config-diff">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Key</Table.Th>
                  {runs.map((r) => (
                    <Table.Th key={r.id}>{runLabel(r)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {configDiff.map((d) => (
                  <Table.Tr key={d.key} data-testid="config-diff-row" data-key={d.key}>
                    <Table.Td ff="monospace">{d.key}</Table.Td>
                    {d.values.map((v, i) => (
                      <Table.Td key={runs[i]?.id ?? i} ff="monospace">
                        {formatConfig(v)}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
    </>
  );
}
