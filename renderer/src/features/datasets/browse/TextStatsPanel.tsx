import { Badge, Group, Loader, SimpleGrid, Stack, Text, Tooltip } from '@mantine/core';
import { useCallback } from 'react';
import type { TextStats } from '../../../../../preload/contract';
import { useOutcome } from '../../../api/hooks';
import { useStudio } from '../../../api/StudioContext';
import { ErrorAlert } from '../../../common/ErrorAlert';

export function useTextStats(versionId: number) {
  const api = useStudio();
  const load = useCallback(() => api.datasets.textStats({ versionId }), [api, versionId]);
  return useOutcome(load);
}

/** A character as a person can see it: whitespace and control characters get a visible name. */
export function shownChar(char: string): string {
  // Words rather than the Unicode control pictures, which many fonts lack.
  const names: Record<string, string> = { '\n': '↵', '\r': 'CR', '\t': 'tab', ' ': 'space' };
  if (names[char]) return names[char];
  const code = char.codePointAt(0) ?? 0;
  if (code < 32 || (code >= 127 && code < 160)) return `U+${code.toString(16).padStart(4, '0')}`;
  return char;
}

type CharClass = 'letters' | 'digits' | 'whitespace' | 'punctuation' | 'other';

export function charClass(char: string): CharClass {
  if (/\p{L}/u.test(char)) return 'letters';
  if (/\p{N}/u.test(char)) return 'digits';
  if (/\s/u.test(char)) return 'whitespace';
  if (/[\p{P}\p{S}]/u.test(char)) return 'punctuation';
  return 'other';
}

function LengthHistogram({ lengths }: { lengths: TextStats['lengths'] }) {
  const largest = Math.max(1, ...lengths.map((b) => b.count));
  return (
    <div>
      <Group gap={2} align="flex-end" h={96} wrap="nowrap" data-testid="text-length-histogram">
        {lengths.map((bin) => (
          <Tooltip key={bin.from} label={`${bin.from}–${bin.to} characters: ${bin.count} items`}>
            <div
              data-testid="text-length-bar"
              style={{
                flex: 1,
                minWidth: 4,
                height: `${(bin.count / largest) * 100}%`,
                minHeight: bin.count > 0 ? 2 : 0,
                background: 'var(--mantine-color-indigo-5)',
                borderRadius: 2,
              }}
            />
          </Tooltip>
        ))}
      </Group>
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          0
        </Text>
        <Text size="xs" c="dimmed">
          {lengths.at(-1)?.to ?? 0} characters
        </Text>
      </Group>
    </div>
  );
}

/** Lengths and the character set of a text version: what a character model will have to learn. */
export function TextStatsPanel({ versionId }: { versionId: number }) {
  const stats = useTextStats(versionId);
  if (stats.error) return <ErrorAlert error={stats.error} onRetry={stats.reload} />;
  if (!stats.value) return <Loader size="sm" />;
  const { itemCount, totalChars, lengths, characters } = stats.value;
  const byClass = new Map<CharClass, number>();
  for (const c of characters)
    byClass.set(charClass(c.char), (byClass.get(charClass(c.char)) ?? 0) + 1);
  const unusual = characters.filter((c) => {
    const code = c.char.codePointAt(0) ?? 0;
    return code > 126 || (code < 32 && c.char !== '\n' && c.char !== '\t');
  });
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" data-testid="text-stats">
      <Stack gap={4}>
        <Text size="sm" fw={600}>
          Length per item
        </Text>
        <Text size="xs" c="dimmed">
          {itemCount} items, {totalChars.toLocaleString()} characters, about{' '}
          {itemCount > 0 ? Math.round(totalChars / itemCount) : 0} each
        </Text>
        <LengthHistogram lengths={lengths} />
      </Stack>
      <Stack gap={6}>
        <Text size="sm" fw={600}>
          Character set: <span data-testid="text-charset-size">{characters.length}</span> distinct
        </Text>
        <Group gap={6}>
          {(['letters', 'digits', 'whitespace', 'punctuation', 'other'] as const).map((k) => (
            <Badge key={k} variant="light" color={k === 'other' ? 'orange' : 'gray'}>
              {k}: {byClass.get(k) ?? 0}
            </Badge>
          ))}
        </Group>
        {unusual.length > 0 && (
          <Text size="xs" c="orange.8" data-testid="text-unusual-chars">
            Outside plain ASCII:{' '}
            {unusual
              .slice(0, 24)
              .map((c) => shownChar(c.char))
              .join(' ')}
            {unusual.length > 24 ? ` … ${unusual.length - 24} more` : ''}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          Most frequent:{' '}
          {characters
            .slice(0, 16)
            .map((c) => `${shownChar(c.char)} ${c.count}`)
            .join(' · ')}
        </Text>
      </Stack>
    </SimpleGrid>
  );
}
