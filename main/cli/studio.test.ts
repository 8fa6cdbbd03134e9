import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pngBytes, tempDir, writeFile } from '../testing/fixtures';
import { main } from './studio';

// The command line in this process, through the same contract calls as the app: what a script
// sees on stdout and in the exit code. None of these commands needs the ML worker.

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  vi.restoreAllMocks();
  // withCore sets the exit code for the process, as bin/studio.js does; the test runner keeps its.
  process.exitCode = undefined;
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function studio(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    err += String(chunk);
    return true;
  });
  try {
    const code = await main(['node', 'studio', ...args]);
    return { code, out, err };
  } finally {
    vi.restoreAllMocks();
  }
}

function dataDir(): string {
  const { dir, cleanup } = tempDir('studio-cli-');
  cleanups.push(cleanup);
  return dir;
}

describe('studio (the command line)', () => {
  it('imports a folder with --json, and finds it again unchanged', async () => {
    const data = dataDir();
    const folder = path.join(data, 'shapes');
    for (let i = 0; i < 3; i++) {
      await writeFile(folder, `circle/${i}.png`, await pngBytes(i));
      await writeFile(folder, `square/${i}.png`, await pngBytes(10 + i));
    }
    const first = await studio('import', folder, '--data-dir', path.join(data, 'd'), '--json');
    expect(first.code).toBe(0);
    const report = JSON.parse(first.out) as Record<string, unknown>;
    expect(report).toMatchObject({
      datasetId: 1,
      name: 'shapes',
      importedCount: 6,
      alreadyImported: false,
      classes: { circle: 3, square: 3 },
      skipped: [],
    });

    const again = await studio('import', folder, '--data-dir', path.join(data, 'd'));
    expect(again.code).toBe(0);
    expect(again.out).toContain('Already imported: dataset 1 "shapes"');
    expect(again.err).toContain('6/6 files');
  });

  it('lists runs and presets', async () => {
    const data = dataDir();
    const runs = await studio('runs', '--data-dir', data);
    expect(runs).toMatchObject({ code: 0, out: 'No runs yet.\n' });
    const presets = await studio('presets', '--data-dir', data, '--json');
    expect(presets.code).toBe(0);
    expect((JSON.parse(presets.out) as { id: string }[]).map((p) => p.id)).toContain('vae-tiny');
  });

  it('exits 3 for what does not exist and 2 for wrong usage', async () => {
    const data = dataDir();
    const run = await studio('export', '--run', '9', '--data-dir', data);
    expect(run.code).toBe(3);
    expect(run.err).toContain('Run 9 does not exist');
    const dataset = await studio('audit', 'neither-id-nor-folder', '--data-dir', data);
    expect(dataset.code).toBe(3);
    const folder = await studio('import', path.join(data, 'missing'), '--data-dir', data);
    expect(folder.code).toBe(3);
    const usage = await studio('runs', '--dataset', 'x', '--data-dir', data);
    expect(usage.code).toBe(2);
    expect(usage.err).toContain('"x" is not a positive whole number.');
  });
});
