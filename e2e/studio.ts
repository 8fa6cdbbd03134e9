import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';

export const REPO = path.resolve(__dirname, '..');
export const SAMPLE_IMAGES = path.join(REPO, 'resources', 'sample-images');
export const SAMPLE_TEXT = path.join(REPO, 'resources', 'sample-text');
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');

export interface RunningStudio {
  /** The link `studio serve` printed: it carries the token, which the server swaps for a cookie. */
  url: string;
  /** For requests made outside the page: `Authorization: Bearer <token>`. */
  token: string;
  dataDir: string;
  /** Stops the server (SIGTERM, as Ctrl-C would) and starts it again on the same data dir. */
  restart(): Promise<void>;
  /** Runs the `studio` command line against the same data dir. */
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  workDir: string;
}

interface StartedServer {
  child: ChildProcess;
  url: string;
  token: string;
}

/** The server as a person starts it for the browser: the specs' folders are under its --root. */
function startServer(dataDir: string, root: string): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        STUDIO_BIN,
        'serve',
        ...['--port', '0', '--json', '--data-dir', dataDir],
        // The spec's own folders, and the bundled samples that specs import as they are.
        ...['--root', root, '--root', path.join(REPO, 'resources')],
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        const { url, token } = JSON.parse(stdout) as { url: string; token: string };
        resolve({ child, url, token });
      } catch {
        // Not the whole JSON document yet.
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`studio serve exited with ${code}: ${stderr}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export function runCli(
  dataDir: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [STUDIO_BIN, '--data-dir', dataDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The bundled digits plus one truncated PNG and one text file: the import's bad cases. */
export async function digitsWithBadFiles(workDir: string): Promise<string> {
  const folder = path.join(workDir, 'digits');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const good = await fs.readFile(path.join(folder, '3', '0000.png'));
  await fs.writeFile(
    path.join(folder, '3', 'broken.png'),
    good.subarray(0, Math.floor(good.length / 2)),
  );
  await fs.writeFile(path.join(folder, 'notes.txt'), 'These are handwritten digits.\n');
  return folder;
}

/**
 * The bundled digits with known defects for the audit: two byte-for-byte copies of a 4 under new
 * names, and a 1 moved into the 7s (moved, not copied: a copy would also be an exact duplicate).
 */
export async function digitsWithDefects(workDir: string): Promise<{
  folder: string;
  duplicateOf: string;
  copies: string[];
  mislabeled: string;
}> {
  const folder = path.join(workDir, 'digits-with-defects');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const copies = ['copy-a.png', 'copy-b.png'];
  for (const copy of copies) {
    await fs.copyFile(path.join(folder, '4', '0003.png'), path.join(folder, '4', copy));
  }
  await fs.rename(path.join(folder, '1', '0020.png'), path.join(folder, '7', 'looks-like-one.png'));
  return { folder, duplicateOf: '0003.png', copies, mislabeled: 'looks-like-one.png' };
}

export const test = base.extend<{ studio: RunningStudio }>({
  // Playwright reads the fixture's dependencies from this (empty) destructuring pattern.
  // eslint-disable-next-line no-empty-pattern
  studio: async ({}, use) => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
    const dataDir = path.join(workDir, 'data');
    let server = await startServer(dataDir, workDir);
    const studio: RunningStudio = {
      url: server.url,
      token: server.token,
      dataDir,
      workDir,
      restart: async () => {
        await stopServer(server.child);
        // A new launch, a new token (and port): the page must open the new link.
        server = await startServer(dataDir, workDir);
        studio.url = server.url;
        studio.token = server.token;
      },
      cli: (args) => runCli(dataDir, args),
    };
    await use(studio);
    await stopServer(server.child);
    await fs.rm(workDir, { recursive: true, force: true });
  },
});

/**
 * Opens a run's details from the runs table. A run that has just finished keeps growing the run
 * panel above the table (its report card and samples arrive after the status), so a row can move
 * between Playwright's aim and its click and the click land on its neighbour: click again until
 * the details show the run asked for.
 */
export async function selectRun(page: Page, runId: number | string): Promise<void> {
  const details = page.getByTestId('run-details');
  await expect(async () => {
    await page.locator(`[data-testid="run-row"][data-run-id="${runId}"]`).click();
    await expect(details).toHaveAttribute('data-run-id', String(runId), { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
}

export { expect };
