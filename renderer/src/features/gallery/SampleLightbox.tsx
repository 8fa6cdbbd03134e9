import { Badge, Group, Modal, Stack, Table, Text } from '@mantine/core';
import type { GallerySample } from '../../../../preload/contract';
import { useStudio } from '../../api/StudioContext';
import { provenanceLines } from './provenanceLines';
import { SampleEvidence } from './SampleEvidence';

/** One sample large, with everything known about how it was drawn; the page's keys drive it. */
export function SampleLightbox({
  sample,
  position,
  total,
  onClose,
  onEvaluated,
}: {
  sample: GallerySample | undefined;
  position: number;
  total: number;
  onClose: () => void;
  /** The run was evaluated from here: the gallery reads its samples again. */
  onEvaluated: () => void;
}) {
  const { shell } = useStudio();
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      title={
        sample ? (
          <Group gap="xs">
            <Text fw={600}>
              Run #{sample.runId} · step {sample.step} · sample {sample.index}
            </Text>
            {sample.rating && (
              <Badge
                color={sample.rating === 'starred' ? 'yellow' : 'red'}
                data-testid="lightbox-rating"
              >
                {sample.rating}
              </Badge>
            )}
          </Group>
        ) : (
          'Loading…'
        )
      }
      data-testid="sample-lightbox"
    >
      {sample && (
        <Stack gap="sm" data-testid="lightbox-body" data-sample-id={sample.id}>
          {sample.kind === 'text' ? (
            sample.evaluation === null && (
              <Text ff="monospace" style={{ whiteSpace: 'pre-wrap' }} data-testid="lightbox-text">
                {sample.text}
              </Text>
            )
          ) : (
            <img
              src={shell.mediaUrl('sample', sample.id)}
              alt={`Run ${sample.runId}, step ${sample.step}, sample ${sample.index}`}
              style={{
                width: '100%',
                // Smaller beside its nearest training items, so the comparison fits on screen.
                maxHeight: sample.evaluation?.kind === 'image' ? '32vh' : '55vh',
                objectFit: 'contain',
                imageRendering: sample.width <= 64 ? 'pixelated' : 'auto',
                background: 'var(--mantine-color-gray-2)',
              }}
            />
          )}
          <SampleEvidence key={sample.id} sample={sample} onEvaluated={onEvaluated} />
          <Table data-testid="lightbox-provenance" striped withRowBorders={false}>
            <Table.Tbody>
              {provenanceLines(sample).map(([name, value]) => (
                <Table.Tr key={name}>
                  <Table.Td c="dimmed" w={160}>
                    {name}
                  </Table.Td>
                  <Table.Td>{value}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {position + 1} of {total} · ← → step · s star · x reject · Esc close
          </Text>
        </Stack>
      )}
    </Modal>
  );
}
