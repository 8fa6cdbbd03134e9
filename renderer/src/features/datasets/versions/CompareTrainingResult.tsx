import { Badge, Group, Stack, Table, Text } from '@mantine/core';
import type { ComparedVersion, VersionTrainingComparison } from '../../../../../preload/contract';
import { directionLabel } from '../../../../../shared/runs/metricDirection';
import { bestSide, changeText } from './compareTrainingModel';

function format(value: number | null): string {
  if (value === null) return '—';
  return Number.isInteger(value) ? String(value) : value.toPrecision(3);
}

function Cell({ value, best }: { value: number | null; best: boolean }) {
  return (
    <Table.Td
      ta="right"
      fw={best ? 700 : undefined}
      c={best ? 'teal.8' : undefined}
      data-best={best}
      data-testid="compare-training-value"
    >
      {format(value)}
      {best ? ' ★' : ''}
    </Table.Td>
  );
}

function Findings({ version, number }: { version: ComparedVersion; number: string }) {
  const counts = Object.entries(version.audit?.counts ?? {}).filter(([, n]) => (n ?? 0) > 0);
  return (
    <Group gap={6} data-testid="compare-training-findings" data-version-id={version.versionId}>
      <Text size="sm" fw={600}>
        {number}
      </Text>
      {!version.audit && (
        <Text size="sm" c="dimmed">
          not audited
        </Text>
      )}
      {version.audit && counts.length === 0 && (
        <Text size="sm" c="dimmed">
          no findings
        </Text>
      )}
      {counts.map(([type, n]) => (
        <Badge key={type} size="sm" variant="light" color="orange">
          {type} {n}
        </Badge>
      ))}
    </Group>
  );
}

/** Both runs' figures against the one judge, best per row marked, and each version's findings. */
export function CompareTrainingResult({
  result,
  numberOf,
}: {
  result: VersionTrainingComparison;
  numberOf: (versionId: number) => string;
}) {
  const [a, b] = result.versions;
  const j = result.judge;
  return (
    <Stack gap="xs" data-testid="compare-training-result">
      <Text size="sm">
        {result.presetId}, {result.steps} steps, seed {result.seed} on both. One judge:{' '}
        {numberOf(j.referenceVersionId)}&apos;s {j.featureNetwork} feature network and items (
        {j.trainItems} train, {j.validationItems} validation), {j.sampleCount} samples each
        {j.scarceClass !== null ? `; scarcest class "${j.scarceClass}"` : ''}.
      </Text>
      <Table fz="sm" verticalSpacing={4} data-testid="compare-training-table" withTableBorder>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Figure</Table.Th>
            <Table.Th ta="right">{numberOf(a.versionId)}</Table.Th>
            <Table.Th ta="right">{numberOf(b.versionId)}</Table.Th>
            <Table.Th ta="right">Change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {result.metrics.map((m) => {
            const best = bestSide(m);
            const change = changeText(m);
            return (
              <Table.Tr key={m.name} data-testid="compare-training-row" data-name={m.name}>
                <Table.Td>
                  {m.name.replaceAll('_', ' ')}{' '}
                  <Text span size="xs" c="dimmed">
                    ({directionLabel(m.better)} better)
                  </Text>
                </Table.Td>
                <Cell value={m.a} best={best === 'a'} />
                <Cell value={m.b} best={best === 'b'} />
                <Table.Td
                  ta="right"
                  c={change.withinNoise ? 'dimmed' : undefined}
                  title={
                    change.withinNoise
                      ? "Within twice the standard error of the judge's sampling: other samples could have given it."
                      : undefined
                  }
                  data-within-noise={change.withinNoise}
                  data-testid="compare-training-change"
                >
                  {change.text}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {result.metrics.some((m) => m.changeError !== null) && (
        <Text size="xs" c="dimmed">
          ± is twice the standard error from the judge drawing its samples (shares of samples by
          their count, FID and KID by resampling them); a dimmed change is within it.
        </Text>
      )}
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        Audit findings
      </Text>
      <Findings version={a} number={numberOf(a.versionId)} />
      <Findings version={b} number={numberOf(b.versionId)} />
    </Stack>
  );
}
