import type { DatasetRepository } from '../datasetRepository';
import { writeFirstVersion } from '../versions/firstVersion';
import type { VersionRepository } from '../versions/versionRepository';
import type { ImportRecords } from './importRecords';

/** What the import found, kept with its record so the same folder again is recognised. */
export interface ImportOutcome {
  fingerprint: string;
  filesSeen: number;
  durationMs: number;
}

/**
 * Makes an imported dataset visible: its import record, version 1 and the ready mark in one
 * transaction, so a crash or a failed write leaves all three or none (and the half import is
 * removed at the next start). A folder with nothing usable still becomes a dataset, so its
 * report is kept and shown.
 */
export function finishImport(
  deps: { repository: DatasetRepository; records: ImportRecords; versions: VersionRepository },
  datasetId: number,
  outcome: ImportOutcome,
): number {
  return deps.records.transaction(() => {
    deps.records.finish(datasetId, outcome.fingerprint, outcome.filesSeen, outcome.durationMs);
    const versionId = writeFirstVersion(deps.versions, datasetId);
    deps.repository.markReady(datasetId);
    return versionId;
  });
}
