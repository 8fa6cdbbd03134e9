// What bench-audit.mjs reads from an audited data dir's database beside the CLI's JSON: the
// split of each item and the text audit's timings.

import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

function open(dataDir) {
  const Database = require('better-sqlite3');
  return new Database(path.join(dataDir, 'studio.db'), { readonly: true });
}

/** Each item's split in the dataset's newest version, by its path relative to the fixture. */
export function splitsOf(dataDir, datasetId, fixture) {
  const db = open(dataDir);
  const rows = db
    .prepare(
      `SELECT i.source_path AS p, vi.split AS s FROM version_items vi JOIN items i ON i.id = vi.item_id
       WHERE vi.version_id = (SELECT MAX(id) FROM dataset_versions WHERE dataset_id = ?)`,
    )
    .all(datasetId);
  db.close();
  return new Map(rows.map((r) => [path.relative(fixture, r.p).split(path.sep).join('/'), r.s]));
}

/** The text audit's timings (the word model's among them) from the stored run summary. */
export function textTimings(dataDir, auditId) {
  const db = open(dataDir);
  const row = db.prepare('SELECT summary FROM audit_runs WHERE id = ?').get(auditId);
  db.close();
  return row ? (JSON.parse(row.summary).text?.timings ?? null) : null;
}
