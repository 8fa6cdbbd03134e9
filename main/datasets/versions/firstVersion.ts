import type { Db } from '../../db/connection';
import { DEFAULT_PREPROCESSING } from './preprocessing';
import { assignSplit, type VersionRow } from './split';

/**
 * Completes the version an import writes: the default settings in full (so the version keeps its
 * meaning if the defaults change) and the stratified train/validation split. Runs inside the
 * import's own transaction; statements are prepared here because it runs once per import.
 */
export function initializeFirstVersion(db: Db, versionId: number): void {
  const rows = db
    .prepare(`SELECT item_id AS itemId, label FROM version_items WHERE version_id = ?`)
    .all(versionId) as VersionRow[];
  const markValidation = db.prepare(
    `UPDATE version_items SET split = 'validation' WHERE version_id = ? AND item_id = ?`,
  );
  for (const row of assignSplit(rows, DEFAULT_PREPROCESSING.split)) {
    if (row.split === 'validation') markValidation.run(versionId, row.itemId);
  }
  db.prepare(`UPDATE dataset_versions SET preprocessing = ? WHERE id = ?`).run(
    JSON.stringify(DEFAULT_PREPROCESSING),
    versionId,
  );
}
