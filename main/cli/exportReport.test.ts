import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, ModelExportResult, ReportExportResult } from '../../preload/contract';
import { tempDir } from '../testing/fixtures';
import { EXIT } from './exitCodes';

// `studio export --run <id> --report` through the built command line (bin/studio.js): the run's
// report lands in the folder named, a second export there is refused rather than written over,
// and --report goes with --model and a sample choice in one command.
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'studio.js');
const IMAGES = path.join(REPO, 'resources', 'sample-images');

let dataDir: string;
let cleanup: () => Promise<void>;

function studio(
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, '--data-dir', dataDir, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js'))) {
    throw new Error('The built command line is missing: run `npm run build` first.');
  }
  ({ dir: dataDir, cleanup } = tempDir('studio-export-report-'));
});

afterAll(async () => {
  await cleanup();
});

describe('studio export --report', () => {
  it('writes the run report into --out, will not write over it, and writes it beside samples and model', async () => {
    expect((await studio('import', IMAGES, '--json')).code).toBe(0);
    const trained = await studio(
      'train',
      '--dataset',
      '1',
      '--model',
      'vae-tiny',
      '--steps',
      '20',
      '--no-evaluate',
      '--json',
    );
    expect(trained.code, trained.stderr).toBe(0);
    const out = path.join(dataDir, 'reports');
    const exported = await studio('export', '--run', '1', '--report', '--out', out, '--json');
    expect(exported.code, exported.stderr).toBe(0);
    const result = JSON.parse(exported.stdout) as ReportExportResult;
    expect(result).toEqual({ path: path.join(out, 'run-1-report.html'), reportId: '' });
    const page = await fs.readFile(result.path, 'utf8');
    expect(page).toContain('data-metric="loss"');
    expect(page).toContain('src="data:image/png;base64,');
    // Not evaluated: the report says how to evaluate instead of a verdict.
    expect(page).toContain('studio evaluate --run 1');

    const again = await studio('export', '--run', '1', '--report', '--out', out);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('already exists');
    expect(await fs.readFile(result.path, 'utf8')).toBe(page);

    // The flags name parts that go together: every sample, the model and the report at once.
    const together = path.join(dataDir, 'everything');
    const all = await studio(
      'export',
      ...['--run', '1', '--all', '--model', '--report', '--out', together, '--json'],
    );
    expect(all.code, all.stderr).toBe(0);
    const parts = JSON.parse(all.stdout) as {
      samples: ExportResult;
      model: ModelExportResult;
      report: ReportExportResult;
    };
    expect(parts.samples.folder).toBe(together);
    expect(existsSync(path.join(together, 'provenance.json'))).toBe(true);
    expect(parts.model.folder).toBe(`${together}-model`);
    expect(existsSync(path.join(`${together}-model`, 'model.json'))).toBe(true);
    expect(parts.report.path).toBe(path.join(together, 'run-1-report.html'));
    expect(await fs.readFile(parts.report.path, 'utf8')).toContain('data-metric="loss"');

    const twoWays = await studio('export', '--run', '1', '--samples', '1', '--all');
    expect(twoWays.code).toBe(EXIT.usage);
    expect(twoWays.stderr).toContain('Choose the samples one way');
  }, 240_000);
});
