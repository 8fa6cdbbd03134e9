import Database from 'better-sqlite3';
import { migrate } from './migrate';

export type Db = Database.Database;

/**
 * Opens (creating if needed) the studio database: WAL so readers never wait on the writer,
 * foreign keys on, migrations applied. Main owns the only connection.
 */
export function openDatabase(file: string): Db {
  // The desktop app runs on Electron's Node ABI: `npm start` builds a matching copy of the
  // native module and points STUDIO_SQLITE_BINDING at it (packaged apps are rebuilt instead).
  const nativeBinding = process.env.STUDIO_SQLITE_BINDING;
  const db = new Database(file, nativeBinding ? { nativeBinding } : {});
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

export function nowIso(): string {
  return new Date().toISOString();
}
