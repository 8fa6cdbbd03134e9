import { Group, Kbd, Loader, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '../../../common/ErrorAlert';
import { shownChar, useTextStats } from '../browse/TextStatsPanel';

/**
 * The characters a model of this text would have as tokens, with the (unsaved) case folding:
 * folding is applied here to the version's characters, the way training folds the texts.
 */
export function VocabularyPreview({
  versionId,
  caseFold,
}: {
  versionId: number;
  caseFold: boolean;
}) {
  const stats = useTextStats(versionId);
  if (stats.error) return <ErrorAlert error={stats.error} onRetry={stats.reload} />;
  if (!stats.value) return <Loader size="sm" />;
  const folded = new Set<string>();
  for (const { char } of stats.value.characters) {
    for (const ch of caseFold ? char.toLowerCase() : char) folded.add(ch);
  }
  const vocabulary = [...folded].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
  return (
    <Stack gap="xs">
      <Text size="sm">
        <span data-testid="vocabulary-size">{vocabulary.length}</span> tokens (one per character)
        {caseFold ? ', case folded' : ''}.
      </Text>
      <Group gap={4} data-testid="vocabulary">
        {vocabulary.map((ch) => (
          <Kbd key={ch} title={`U+${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`}>
            {shownChar(ch)}
          </Kbd>
        ))}
      </Group>
    </Stack>
  );
}
