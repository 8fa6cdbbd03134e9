// What became of each corpus entry after an import, and whether the data dir is consistent:
// shared by `npm run fuzz:import` and main/datasets/import/hostileFiles.test.ts.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Each entry's outcome: 'imported' (an item has its path, or its path and a #locator for a row),
 * 'skipped' with the reason (the file, one of its rows, or a folder or link above it is reported),
 * or 'absent' (neither: only acceptable for a file that vanished during the import).
 */
export function accountFor(folder, entries, itemPaths, skipped) {
  const items = new Set(itemPaths);
  const itemFiles = new Set(itemPaths.map((p) => p.replace(/#L\d+$/, '')));
  const skips = new Map();
  for (const s of skipped) {
    const file = s.sourcePath.replace(/#L\d+$/, '');
    if (!skips.has(file)) skips.set(file, s.reason);
  }
  const outcomes = entries.map((entry) => {
    const shown = path.join(folder, entry.relativePath);
    if (items.has(shown) || itemFiles.has(shown)) return { status: 'imported' };
    for (let at = shown; at.length > folder.length; at = path.dirname(at)) {
      const reason = skips.get(at);
      if (reason !== undefined) return { status: 'skipped', reason, at };
    }
    return { status: 'absent' };
  });
  return { outcomes };
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Problems in the data dir after imports: each a sentence; none is the expected outcome. */
export function checkDatabase(db, dataDir) {
  const problems = [];
  const integrity = db.pragma('integrity_check', { simple: true });
  if (integrity !== 'ok') problems.push(`integrity_check: ${integrity}`);
  const foreign = db.pragma('foreign_key_check');
  if (foreign.length > 0) problems.push(`foreign_key_check: ${foreign.length} rows`);
  const importing = db
    .prepare(`SELECT COUNT(*) FROM datasets WHERE status = 'importing'`)
    .pluck()
    .get();
  if (importing > 0) problems.push(`${importing} datasets left half-imported`);
  const datasets = db.prepare(`SELECT id FROM datasets WHERE status = 'ready'`).pluck().all();
  for (const id of datasets) {
    const items = db.prepare('SELECT COUNT(*) FROM items WHERE dataset_id = ?').pluck().get(id);
    const first = db
      .prepare(
        `SELECT COUNT(*) FROM version_items vi JOIN dataset_versions v ON v.id = vi.version_id
         WHERE v.dataset_id = ? AND v.number = 1`,
      )
      .pluck()
      .get(id);
    if (first !== items)
      problems.push(`dataset ${id}: ${items} items but its first version has ${first}`);
  }
  const rows = db.prepare('SELECT id, blob_sha, kind, width, height, byte_size FROM items').all();
  for (const row of rows) {
    if (!SHA256.test(row.blob_sha)) {
      problems.push(`item ${row.id}: blob id ${JSON.stringify(row.blob_sha)} is not a SHA-256`);
      continue;
    }
    const blob = path.join(dataDir, 'blobs', row.blob_sha.slice(0, 2), row.blob_sha.slice(2));
    if (!existsSync(blob)) {
      problems.push(`item ${row.id}: its blob is missing`);
      continue;
    }
    const bytes = readFileSync(blob);
    if (createHash('sha256').update(bytes).digest('hex') !== row.blob_sha)
      problems.push(`item ${row.id}: its blob does not hash to its name`);
    if (bytes.length !== row.byte_size)
      problems.push(`item ${row.id}: byte size ${row.byte_size}, blob ${bytes.length}`);
    if (row.kind === 'image') {
      if (!(row.width > 0 && row.height > 0))
        problems.push(`item ${row.id}: image of ${row.width}×${row.height}`);
      const thumb = path.join(dataDir, 'thumbs', row.blob_sha.slice(0, 2), `${row.blob_sha}.png`);
      if (!existsSync(thumb)) problems.push(`item ${row.id}: its thumbnail is missing`);
    }
  }
  const badReasons = db
    .prepare(`SELECT COUNT(*) FROM import_skips WHERE trim(reason) = '' OR source_path = ''`)
    .pluck()
    .get();
  if (badReasons > 0) problems.push(`${badReasons} import issues without a path or a reason`);
  return problems;
}
