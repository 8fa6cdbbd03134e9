import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MIGRATIONS } from '../migrate';
import { audit } from './0004-audit';

describe('migration 0004 audit', () => {
  it('is number 4, makes STRICT tables, and deleting a dataset removes its audits', () => {
    expect(MIGRATIONS[3]).toBe(audit);
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    const tables = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name LIKE 'audit_%' ORDER BY name`,
      )
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name)).toEqual([
      'audit_features',
      'audit_finding_members',
      'audit_findings',
      'audit_item_scores',
      'audit_runs',
    ]);
    for (const t of tables) expect(t.sql).toMatch(/STRICT/);
    db.exec(`
      INSERT INTO datasets (id, name, kind, source_path, status, created_at) VALUES (1, 'd', 'image', '/d', 'ready', 'now');
      INSERT INTO items (id, dataset_id, blob_sha, kind, label, source_path, format, width, height, channels, byte_size)
        VALUES (1, 1, 'a', 'image', 'x', '/d/x/1.png', 'png', 2, 2, 1, 10);
      INSERT INTO dataset_versions (id, dataset_id, parent_id, number, note, created_at) VALUES (1, 1, NULL, 1, 'imported', 'now');
      INSERT INTO audit_runs (id, dataset_id, version_id, status, started_at) VALUES (1, 1, 1, 'completed', 'now');
      INSERT INTO audit_findings (id, audit_id, type, detail, severity, score, title, action)
        VALUES (1, 1, 'blank', 'noise', 'high', 1, 't', 'exclude');
      INSERT INTO audit_finding_members (finding_id, position, item_id, source_path, role) VALUES (1, 0, 1, '/d/x/1.png', 'subject');
      INSERT INTO audit_finding_members (finding_id, position, item_id, source_path, role) VALUES (1, 1, NULL, '/d/x/bad.png', 'subject');
      INSERT INTO audit_item_scores (audit_id, item_id, uniqueness) VALUES (1, 1, 0.5);
    `);
    expect(() =>
      db
        .prepare(
          `INSERT INTO audit_runs (dataset_id, version_id, status, started_at) VALUES (1, 1, 'odd', 'now')`,
        )
        .run(),
    ).toThrow(/CHECK/);
    db.prepare(`DELETE FROM datasets WHERE id = 1`).run();
    for (const table of [
      'audit_runs',
      'audit_findings',
      'audit_finding_members',
      'audit_item_scores',
    ]) {
      expect(db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get()).toEqual({ n: 0 });
    }
    db.close();
  });
});
