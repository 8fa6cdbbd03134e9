import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';

const BEFORE = MIGRATIONS.findIndex((m) => m.name === 'autoincrement-ids');
const REBUILT = ['datasets', 'dataset_versions', 'runs', 'audit_runs'];
const COUNTED = [
  ...REBUILT,
  'items',
  'import_skips',
  'dataset_imports',
  'version_items',
  'run_metrics',
  'samples',
  'audit_findings',
  'audit_finding_members',
];

/** Two datasets with everything that points at them, at the schema before this migration. */
function populatedDatabase(): Database.Database {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db, MIGRATIONS.slice(0, BEFORE));
  for (const d of [1, 2]) {
    db.exec(`
      INSERT INTO datasets (id, name, kind, source_path, status, created_at)
        VALUES (${d}, 'd${d}', 'image', '/d${d}', 'ready', 'now');
      INSERT INTO dataset_imports (dataset_id, settings) VALUES (${d}, '{}');
      INSERT INTO items (id, dataset_id, blob_sha, kind, source_path, format, width, height,
        channels, byte_size) VALUES (${d}, ${d}, 'sha${d}', 'image', 'a.png', 'png', 8, 8, 1, 9);
      INSERT INTO import_skips (dataset_id, source_path, reason) VALUES (${d}, 'b.txt', 'no');
      INSERT INTO dataset_versions (id, dataset_id, number, note, created_at)
        VALUES (${d * 10}, ${d}, 1, 'imported', 'now');
      INSERT INTO dataset_versions (id, dataset_id, parent_id, number, note, created_at)
        VALUES (${d * 10 + 1}, ${d}, ${d * 10}, 2, 'curated', 'now');
      INSERT INTO version_items (version_id, item_id) VALUES (${d * 10 + 1}, ${d});
      INSERT INTO runs (id, dataset_id, version_id, family, preset_id, config, status,
        total_steps, created_at) VALUES (${d}, ${d}, ${d * 10 + 1}, 'vae', 'p', '{}', 'completed', 5, 'now');
      INSERT INTO run_metrics (run_id, step, name, value) VALUES (${d}, 1, 'loss', 0.5);
      INSERT INTO samples (run_id, step, idx, file_path, width, height, created_at)
        VALUES (${d}, 5, 0, 'runs/${d}/a.png', 8, 8, 'now');
      INSERT INTO audit_runs (id, dataset_id, version_id, status, started_at)
        VALUES (${d}, ${d}, ${d * 10 + 1}, 'completed', 'now');
      INSERT INTO audit_findings (id, audit_id, type, detail, severity, score, title, action)
        VALUES (${d}, ${d}, 'duplicate', 'exact', 'high', 1, 't', 'exclude');
      INSERT INTO audit_finding_members (finding_id, position, item_id, source_path, role)
        VALUES (${d}, 0, ${d}, 'a.png', 'member');
    `);
  }
  return db;
}

const countOf = (db: Database.Database, table: string): number =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

const columnsOf = (db: Database.Database, table: string): unknown =>
  db.pragma(`table_info(${table})`);

describe('0007 autoincrement ids', () => {
  it('rebuilds the tables with every row, column, index and reference intact', () => {
    const db = populatedDatabase();
    const counts = COUNTED.map((t) => countOf(db, t));
    const columns = REBUILT.map((t) => columnsOf(db, t));
    const indexes = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`)
      .all();
    // Up to this migration only: later ones may add columns and indexes of their own.
    migrate(db, MIGRATIONS.slice(0, BEFORE + 1));
    expect(COUNTED.map((t) => countOf(db, t))).toEqual(counts);
    expect(REBUILT.map((t) => columnsOf(db, t))).toEqual(columns);
    expect(
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name`).all(),
    ).toEqual(indexes);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    for (const table of REBUILT) {
      const { sql } = db
        .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
        .get(table) as { sql: string };
      expect(sql).toMatch(new RegExp(`^CREATE TABLE "${table}" \\(`));
      expect(sql).toMatch(/id INTEGER PRIMARY KEY AUTOINCREMENT/);
      expect(sql).toMatch(/STRICT/);
    }
    // The children's references now lead to the rebuilt tables: deleting cascades through them.
    db.prepare('DELETE FROM runs WHERE dataset_id = 1').run();
    db.prepare('DELETE FROM datasets WHERE id = 1').run();
    expect(countOf(db, 'items')).toBe(1);
    expect(countOf(db, 'version_items')).toBe(1);
    expect(countOf(db, 'audit_finding_members')).toBe(1);
    expect(countOf(db, 'dataset_imports')).toBe(1);
    expect(() =>
      db
        .prepare(
          `INSERT INTO runs (dataset_id, version_id, family, preset_id, config, status, total_steps,
             created_at) VALUES (99, 21, 'vae', 'p', '{}', 'queued', 5, 'now')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('never hands out the id of a deleted newest row again', () => {
    const db = populatedDatabase();
    migrate(db);
    const insertDataset = db.prepare(
      `INSERT INTO datasets (name, kind, source_path, status, created_at)
         VALUES ('n', 'text', '/n', 'ready', 'now')`,
    );
    const first = Number(insertDataset.run().lastInsertRowid);
    expect(first).toBe(3);
    db.prepare('DELETE FROM datasets WHERE id = ?').run(first);
    expect(Number(insertDataset.run().lastInsertRowid)).toBe(4);

    const insertVersion = db.prepare(
      `INSERT INTO dataset_versions (dataset_id, number, note, created_at)
         VALUES (2, ?, 'v', 'now')`,
    );
    const version = Number(insertVersion.run(3).lastInsertRowid);
    db.prepare('DELETE FROM dataset_versions WHERE id = ?').run(version);
    expect(Number(insertVersion.run(3).lastInsertRowid)).toBe(version + 1);

    const insertRun = db.prepare(
      `INSERT INTO runs (dataset_id, version_id, family, preset_id, config, status, total_steps,
         created_at) VALUES (2, 21, 'vae', 'p', '{}', 'queued', 5, 'now')`,
    );
    const run = Number(insertRun.run().lastInsertRowid);
    db.prepare('DELETE FROM runs WHERE id = ?').run(run);
    expect(Number(insertRun.run().lastInsertRowid)).toBe(run + 1);

    const insertAudit = db.prepare(
      `INSERT INTO audit_runs (dataset_id, version_id, status, started_at)
         VALUES (2, 21, 'running', 'now')`,
    );
    const auditId = Number(insertAudit.run().lastInsertRowid);
    db.prepare('DELETE FROM audit_runs WHERE id = ?').run(auditId);
    expect(Number(insertAudit.run().lastInsertRowid)).toBe(auditId + 1);
  });
});
