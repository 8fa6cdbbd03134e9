import { Text } from '@mantine/core';
import { useQualityHistory } from './useQualityHistory';

/**
 * The dataset page's quality figure: the score of the newest audited version, and whether that is
 * the version on screen (a fix since then is not yet measured).
 */
export function QualityStat({
  datasetId,
  currentVersionId,
}: {
  datasetId: number;
  currentVersionId: number | null;
}) {
  const history = useQualityHistory(datasetId);
  const newest = history.value?.at(-1) ?? null;
  if (!newest || newest.summary.score === null) {
    return (
      <Text size="sm" c="dimmed" data-testid="dataset-quality" data-score="">
        not audited
      </Text>
    );
  }
  const current = newest.versionId === currentVersionId;
  return (
    <span data-testid="dataset-quality" data-score={newest.summary.score}>
      {newest.summary.score}
      <Text span size="xs" c={current ? 'dimmed' : 'orange'} ml={6}>
        {current ? `/ 100 (v${newest.versionNumber})` : `/ 100 (v${newest.versionNumber}, older)`}
      </Text>
    </span>
  );
}
