import { Card, Stack, Table, Text, Title } from '@mantine/core';
import { formatBytes } from '../../common/format';
import { useDevices } from './useBackendReport';

/** The "GPU doctor": what hardware there is, and whether a CUDA GPU could be used at all. */
export function DevicesCard() {
  const devices = useDevices();
  const value = devices.value;
  if (!value) return null;
  return (
    <Card withBorder data-testid="backend-devices">
      <Stack gap="xs">
        <Title order={4}>Devices</Title>
        <Text size="sm" data-testid="device-cpu">
          CPU: {value.cpu.model} · {value.cpu.cores} cores · {formatBytes(value.cpu.memoryBytes)}{' '}
          memory
        </Text>
        {value.gpus.length > 0 ? (
          <Table>
            <Table.Tbody>
              {value.gpus.map((gpu, i) => (
                <Table.Tr key={i} data-testid="device-gpu">
                  <Table.Td>{gpu.name}</Table.Td>
                  <Table.Td>{formatBytes(gpu.memoryBytes)}</Table.Td>
                  <Table.Td>driver {gpu.driver}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
        <Text size="sm" c="dimmed" data-testid="device-gpu-probe">
          {value.gpuProbe}
        </Text>
      </Stack>
    </Card>
  );
}
