import { mkdirSync, readdirSync, statSync, chmodSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * The data dir holds a person's datasets and models; on a shared GPU box other users must not
 * read it. Folders the studio makes are owner-only, and so are its files.
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** The file that marks a folder as a studio data dir. */
export const DATABASE_FILE = 'studio.db';

/** `STUDIO_DATA_DIR` wins; otherwise the given default (Electron's userData) or ~/.generative-studio. */
export function resolveDataDir(explicit?: string, fallback?: string): string {
  const chosen = explicit ?? process.env.STUDIO_DATA_DIR ?? fallback;
  return path.resolve(chosen ?? path.join(os.homedir(), '.generative-studio'));
}

export type DataDirPreparation = 'created' | 'tightened' | 'unchanged';

/**
 * Makes the data dir owner-only. A new one is created 0700. An existing one is tightened to 0700
 * only when it is unmistakably the studio's own (it already holds studio.db, or it is empty), this
 * user owns it, and others can read or enter it: that is the 0755 folder earlier versions made.
 * Any other existing folder keeps its permissions: a person who pointed STUDIO_DATA_DIR at a
 * folder they share on purpose chose them, and changing them behind their back would be worse
 * than leaving them. Subfolders are not touched: once the data dir is 0700 nobody else can reach
 * them, whatever their own bits say.
 */
export function prepareDataDir(dir: string): DataDirPreparation {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    return 'created';
  }
  if (!isStudioOwnedAndOpen(dir)) return 'unchanged';
  chmodSync(dir, PRIVATE_DIR_MODE);
  return 'tightened';
}

function isStudioOwnedAndOpen(dir: string): boolean {
  // Windows has no POSIX permission bits; its profile folders are private already.
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return false;
  const stats = statSync(dir);
  if (!stats.isDirectory() || stats.uid !== process.getuid()) return false;
  if ((stats.mode & 0o077) === 0) return false;
  return existsSync(path.join(dir, DATABASE_FILE)) || readdirSync(dir).length === 0;
}
