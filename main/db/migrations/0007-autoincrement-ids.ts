import type Database from 'better-sqlite3';
import type { Migration } from '../migrate';

// Datasets, versions, runs and audits get AUTOINCREMENT ids: without it SQLite hands the id of a
// deleted newest row to the next one, so "dataset 7" in a log, an export file name or a person's
// notes could later mean another dataset. SQLite can only add AUTOINCREMENT by rebuilding the
// table. The rebuild starts from each table's schema as this database has it (not a copy written
// here), so columns other migrations added survive, whatever order they land in. It runs inside
// migrate()'s transaction with foreign keys off, and migrate() checks them all before committing.
const TABLES = ['datasets', 'dataset_versions', 'runs', 'audit_runs'] as const;

const ID_COLUMN = /\bid INTEGER PRIMARY KEY\b(?! AUTOINCREMENT)/;

function rebuildWithAutoincrement(db: Database.Database, table: string): void {
  const schema = db
    .prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`)
    .get(table) as { sql: string } | undefined;
  if (!schema) throw new Error(`Migration autoincrement-ids: there is no table ${table}.`);
  if (/AUTOINCREMENT/i.test(schema.sql)) return;
  const rebuilt = `${table}_rebuild`;
  const header = new RegExp(`^CREATE TABLE "?${table}"?\\s*\\(`);
  if (!header.test(schema.sql) || !ID_COLUMN.test(schema.sql)) {
    throw new Error(`Migration autoincrement-ids: ${table} does not have the expected id column.`);
  }
  const createRebuilt = schema.sql
    .replace(header, `CREATE TABLE "${rebuilt}" (`)
    .replace(ID_COLUMN, 'id INTEGER PRIMARY KEY AUTOINCREMENT');
  // Indexes and triggers go with the old table; they are made again on the new one.
  const companions = db
    .prepare(
      `SELECT sql FROM sqlite_master
        WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL`,
    )
    .all(table) as { sql: string }[];
  const columns = (db.pragma(`table_info("${table}")`) as { name: string }[])
    .map((c) => `"${c.name}"`)
    .join(', ');
  db.exec(createRebuilt);
  // Copying the rows with their ids also starts the sequence at the highest id in use.
  db.exec(`INSERT INTO "${rebuilt}" (${columns}) SELECT ${columns} FROM "${table}"`);
  db.exec(`DROP TABLE "${table}"`);
  // Children still name the table; after the rename that name is the rebuilt table.
  db.exec(`ALTER TABLE "${rebuilt}" RENAME TO "${table}"`);
  for (const { sql } of companions) db.exec(sql);
}

export const autoincrementIds: Migration = {
  version: 7,
  name: 'autoincrement-ids',
  up: (db) => {
    for (const table of TABLES) rebuildWithAutoincrement(db, table);
  },
};
