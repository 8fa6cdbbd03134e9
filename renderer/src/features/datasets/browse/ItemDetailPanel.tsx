import { Badge, Card, Group, Loader, ScrollArea, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import type { BrowseItem } from '../../../../../preload/contract';
import { useStudio } from '../../../api/StudioContext';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { formatBytes } from '../../../common/format';
import { useItemText } from './useItemText';

function Field({ name, children, testId }: { name: string; children: ReactNode; testId?: string }) {
  return (
    <Table.Tr>
      <Table.Td c="dimmed" w={96} style={{ verticalAlign: 'top' }}>
        {name}
      </Table.Td>
      <Table.Td data-testid={testId} style={{ wordBreak: 'break-all' }}>
        {children}
      </Table.Td>
    </Table.Tr>
  );
}

function TextContent({ itemId }: { itemId: number }) {
  const text = useItemText(itemId);
  if (text.error) return <ErrorAlert error={text.error} title="Could not read the text" />;
  if (!text.value || text.value.itemId !== itemId) return <Loader size="sm" />;
  return (
    <Stack gap={4}>
      <ScrollArea.Autosize mah={320} type="auto">
        <Text
          component="pre"
          size="sm"
          ff="monospace"
          m={0}
          style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}
          data-testid="item-detail-text"
        >
          {text.value.text}
        </Text>
      </ScrollArea.Autosize>
      <Text size="xs" c="dimmed">
        {text.value.totalChars} characters
        {text.value.truncated ? ` (the first ${text.value.text.length} shown)` : ''}
      </Text>
    </Stack>
  );
}

/** The item last clicked: full size (or full text) and everything the studio knows about it. */
export function ItemDetailPanel({ item }: { item: BrowseItem | null }) {
  const { shell } = useStudio();
  if (!item) {
    return (
      <Card withBorder data-testid="item-detail-empty">
        <Text size="sm" c="dimmed">
          Click an item to see it in full and select it; shift-click selects a range. Selected items
          can be excluded, included again or relabeled — every change is a new version you can undo.
        </Text>
      </Card>
    );
  }
  const relabeled = item.included && item.label !== item.originalLabel;
  return (
    <Card withBorder data-testid="item-detail" data-item-id={item.id}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="nowrap">
          <Title order={5} style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
            {item.sourcePath.split(/[\\/]/).pop()}
          </Title>
          <Badge
            color={item.included ? (item.split === 'validation' ? 'teal' : 'indigo') : 'red'}
            variant="light"
            data-testid="item-detail-status"
          >
            {item.included ? item.split : 'excluded'}
          </Badge>
        </Group>
        {item.kind === 'image' ? (
          <img
            data-testid="item-detail-image"
            src={shell.mediaUrl('blob', item.blobSha)}
            alt={item.sourcePath}
            style={{
              width: '100%',
              maxHeight: 320,
              objectFit: 'contain',
              background: 'var(--mantine-color-gray-1)',
              imageRendering: item.width <= 64 ? 'pixelated' : 'auto',
              borderRadius: 4,
            }}
          />
        ) : (
          <TextContent itemId={item.id} />
        )}
        <Table fz="sm" verticalSpacing={3} withRowBorders={false}>
          <Table.Tbody>
            <Field name="Label" testId="item-detail-label">
              {item.label ?? '(unlabeled)'}
              {relabeled && (
                <Text span size="xs" c="orange.8">
                  {' '}
                  (imported as {item.originalLabel ?? '(unlabeled)'})
                </Text>
              )}
            </Field>
            <Field name="Source" testId="item-detail-path">
              <Text span ff="monospace" size="xs">
                {item.sourcePath}
              </Text>
            </Field>
            {item.kind === 'image' && (
              <Field name="Size">
                {item.width}×{item.height} px · {item.channels} channel
                {item.channels === 1 ? '' : 's'}
              </Field>
            )}
            <Field name="Format">{item.format}</Field>
            <Field name="File size">{formatBytes(item.byteSize)}</Field>
          </Table.Tbody>
        </Table>
      </Stack>
    </Card>
  );
}
