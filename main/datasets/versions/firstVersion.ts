import { DEFAULT_PREPROCESSING } from './preprocessing';
import { assignSplit } from './split';
import type { VersionRepository } from './versionRepository';

/**
 * Writes version 1 of a freshly imported dataset: every item with the label the import gave it,
 * the default settings in full (so the version keeps its meaning if the defaults change) and the
 * stratified train/validation split. The version repository writes it, like every later version;
 * the caller holds the import's transaction, so the dataset never shows without it.
 */
export function writeFirstVersion(versions: VersionRepository, datasetId: number): number {
  const rows = assignSplit(versions.importedItems(datasetId), DEFAULT_PREPROCESSING.split);
  return versions.insertVersion(
    {
      datasetId,
      parentId: null,
      undoOfId: null,
      number: 1,
      note: 'imported',
      preprocessing: JSON.stringify(DEFAULT_PREPROCESSING),
    },
    rows,
  );
}
