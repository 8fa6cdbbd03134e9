import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NativeSelect,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import type { BackendCandidate, BackendName } from '../../../../preload/contract';
import { ErrorAlert } from '../../common/ErrorAlert';
import { DevicesCard } from './DevicesCard';
import { useBackendPreference, useBackendReport } from './useBackendReport';

const AUTO = 'auto';

function CandidateRow({ candidate, active }: { candidate: BackendCandidate; active: boolean }) {
  return (
    <Table.Tr data-testid="backend-candidate" data-name={candidate.name}>
      <Table.Td>
        <Group gap="xs">
          <Text fw={active ? 600 : 400}>{candidate.name}</Text>
          {active && (
            <Badge size="sm" color="teal">
              active
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm" ff="monospace">
          {candidate.packageName}
        </Text>
      </Table.Td>
      <Table.Td data-testid="backend-candidate-available">
        <Badge variant="light" color={candidate.available ? 'teal' : 'gray'}>
          {candidate.available ? 'available' : 'not available'}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed">
          {candidate.reason || '—'}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

export function BackendPage() {
  const report = useBackendReport();
  const value = report.value;
  const preference = useBackendPreference(report.reload);

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Title order={2}>ML backend</Title>
        <Button variant="default" size="xs" onClick={report.reload} loading={report.loading}>
          Check again
        </Button>
      </Group>
      <ErrorAlert error={report.error} title="Could not read the backend" onRetry={report.reload} />
      {!value && report.loading && (
        <Group gap="xs">
          <Loader size="sm" />
          <Text c="dimmed">Starting the ML worker and probing backends…</Text>
        </Group>
      )}
      {value && (
        <>
          <Card withBorder>
            <Group gap="lg">
              <div>
                <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                  Active backend
                </Text>
                <Text size="xl" fw={700} data-testid="backend-active">
                  {value.active}
                </Text>
              </div>
              {value.threads !== null && (
                <div>
                  <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                    Threads
                  </Text>
                  <Text size="xl" fw={700}>
                    {value.threads}
                  </Text>
                </div>
              )}
              {value.fusedMultiplyAdd !== undefined && (
                <div>
                  <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
                    Multiply-add
                  </Text>
                  <Text size="xl" fw={700} data-testid="backend-fma">
                    {value.fusedMultiplyAdd ? 'Fused' : 'Two roundings'}
                  </Text>
                </div>
              )}
            </Group>
          </Card>
          <Card withBorder>
            <NativeSelect
              label="Backend to train on"
              description="Saved with the studio; each run records the backend it used. Switching restarts the ML worker."
              data-testid="backend-preference"
              value={preference.preferred ?? AUTO}
              disabled={preference.saving}
              onChange={(e) => {
                const chosen = e.currentTarget.value;
                void preference.save(chosen === AUTO ? null : (chosen as BackendName));
              }}
              data={[
                { value: AUTO, label: 'Automatic: the fastest that loads' },
                ...value.candidates.map((c) => ({
                  value: c.name,
                  label: c.available ? c.name : `${c.name} (not available)`,
                  disabled: !c.available,
                })),
              ]}
            />
            <ErrorAlert error={preference.error} title="Could not switch the backend" />
          </Card>
          {value.advice && (
            <Alert color="blue" variant="light" title="Advice" data-testid="backend-advice">
              {value.advice}
            </Alert>
          )}
          <DevicesCard />
          <Card withBorder p={0}>
            <Table verticalSpacing="sm" horizontalSpacing="md">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Backend</Table.Th>
                  <Table.Th>Package</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Why not used</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {value.candidates.map((candidate) => (
                  <CandidateRow
                    key={candidate.name}
                    candidate={candidate}
                    active={candidate.name === value.active}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Card>
        </>
      )}
    </Stack>
  );
}
