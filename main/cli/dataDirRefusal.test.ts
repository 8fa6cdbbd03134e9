import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { startServer, type RunningServer } from '../server/httpServer';
import { tempDir } from '../testing/fixtures';

// A second `studio` on a data dir in use stops with one line naming the owner and exit code 1,
// or, for an import into a folder a server owns, imports through that server (the built CLI,
// bin/studio.js over out/main/cli.js, as a person runs it).
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'studio.js');

let owner: StudioCore;
let server: RunningServer;
let cleanup: () => Promise<void>;
let dataDir: string;

beforeAll(async () => {
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js'))) {
    throw new Error('out/main/cli.js is missing: run `npm run build` first.');
  }
  const t = tempDir();
  dataDir = t.dir;
  cleanup = t.cleanup;
  owner = new StudioCore({ dataDir, shell: 'browser', owner: 'server', workerPath: CLI });
  server = await startServer(owner, {
    host: '127.0.0.1',
    port: 0,
    rendererDir: path.join(dataDir, 'no-pages'),
    // The server imports only from folders under its roots, the CLI's requests included.
    roots: [path.join(REPO, 'resources')],
  });
  // As `studio serve` does: the token in a file only this user reads, named by the lock.
  const tokenFile = path.join(dataDir, 'server.token');
  writeFileSync(tokenFile, `${server.token}\n`, { mode: 0o600 });
  owner.lock.advertise({ port: Number(new URL(server.url).port), url: server.url, tokenFile });
});

afterAll(async () => {
  await server.close();
  await owner.close();
  await cleanup();
});

describe('studio on a data dir in use', () => {
  it('refuses even a read-only command with the owner and where to find it, no stack trace', () => {
    const result = spawnSync(process.execPath, [CLI, 'runs', '--data-dir', dataDir], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `in use by a studio server (pid ${process.pid} at ${server.url}`,
    );
    expect(result.stderr).toContain(`Open ${server.url} to use it`);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });

  it('imports through the server that owns the folder', async () => {
    const folder = path.join(REPO, 'resources', 'sample-text');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [
        CLI,
        'import',
        folder,
        '--json',
        '--data-dir',
        dataDir,
      ]);
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('exit', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    const { datasetId } = JSON.parse(result.stdout) as { datasetId: number };
    expect(owner.datasets.list().map((d) => d.id)).toContain(datasetId);
  });
});
