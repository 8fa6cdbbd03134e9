import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection';
import { pngBytes, tempDir, writeFile } from '../../testing/fixtures';
import { DatasetRepository } from '../datasetRepository';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');
const BUILT_CLI = path.join(REPO, 'out', 'main', 'cli.js');
const FILES = 3000;

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

function count(db: Database.Database, sql: string): number {
  return (db.prepare(sql).get() as { n: number }).n;
}

/** Resolves once `check` is true, polling; the import's own pace decides how long that takes. */
async function until(check: () => boolean, what: string, timeoutMs = 45_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('an import killed midway (SIGKILL of the CLI)', () => {
  it('leaves a consistent database with no visible dataset, and importing again completes', async () => {
    if (!existsSync(BUILT_CLI)) {
      throw new Error(`The built CLI is missing (${BUILT_CLI}): run \`npm run build\` first.`);
    }
    const t = tempDir();
    cleanup = t.cleanup;
    const src = path.join(t.dir, 'many');
    const dataDir = path.join(t.dir, 'data');
    for (let i = 0; i < FILES; i++) await writeFile(src, `c${i % 5}/${i}.png`, await pngBytes(i));

    // Without --json the CLI prints its progress bar on stderr (a line at first, then every 5 s).
    const child = spawn(process.execPath, [STUDIO_BIN, '--data-dir', dataDir, 'import', src], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Progress has started (the bar printed) and a first batch of items is in the database.
    await until(() => /import .*\/3000 files/.test(stderr), 'the progress bar');
    const dbFile = path.join(dataDir, 'studio.db');
    const watcher = new Database(dbFile, { readonly: true });
    try {
      await until(() => count(watcher, 'SELECT COUNT(*) AS n FROM items') > 0, 'a first batch');
    } finally {
      watcher.close();
    }
    child.kill('SIGKILL');
    expect(await exited, stderr).toBe('SIGKILL');

    const raw = new Database(dbFile);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    const itemsLeft = count(raw, 'SELECT COUNT(*) AS n FROM items');
    expect(itemsLeft).toBeGreaterThan(0);
    expect(itemsLeft).toBeLessThan(FILES);
    expect(raw.prepare(`SELECT status FROM datasets`).all()).toEqual([{ status: 'importing' }]);
    raw.close();

    // What every shell does at start: the half import is invisible, then removed entirely.
    const db = openDatabase(dbFile);
    const repository = new DatasetRepository(db);
    expect(repository.list()).toEqual([]);
    expect(repository.removeUnfinishedImports()).toBe(1);
    for (const table of ['datasets', 'items', 'import_skips', 'dataset_imports', 'version_items'])
      expect(count(db, `SELECT COUNT(*) AS n FROM ${table}`)).toBe(0);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();

    const again = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve) => {
        const rerun = spawn(
          process.execPath,
          [STUDIO_BIN, '--data-dir', dataDir, 'import', src, '--json'],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stdout = '';
        let errors = '';
        rerun.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
        rerun.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
        rerun.on('exit', (code) => resolve({ code, stdout, stderr: errors }));
      },
    );
    expect(again.code, again.stderr).toBe(0);
    const result = JSON.parse(again.stdout) as { importedCount: number; alreadyImported: boolean };
    expect(result).toMatchObject({ importedCount: FILES, alreadyImported: false });
    const after = new Database(dbFile, { readonly: true });
    expect(after.prepare(`SELECT status FROM datasets`).all()).toEqual([{ status: 'ready' }]);
    expect(count(after, 'SELECT COUNT(*) AS n FROM items')).toBe(FILES);
    after.close();
  }, 120_000);
});
