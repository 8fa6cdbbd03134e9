import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelExportResult, SampleView } from '../../preload/contract';
import { tempDir } from '../testing/fixtures';
import { EXIT } from './exitCodes';

// `studio export --run <id> --model` as a script sees it, through the built command line
// (bin/studio.js): a tiny char-GPT trained on the sample texts, its model exported to a folder,
// and that folder's own generate.mjs, in plain Node, writing what `studio sample` writes.
const REPO = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO, 'bin', 'studio.js');
const TEXTS = path.join(REPO, 'resources', 'sample-text');
const execute = promisify(execFile);

let dataDir: string;
let outside: string;
let cleanups: (() => Promise<void>)[] = [];

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
  const data = tempDir('studio-model-export-');
  const out = tempDir('studio-model-out-');
  dataDir = data.dir;
  outside = out.dir;
  cleanups = [data.cleanup, out.cleanup];
  // Where the person's own project is: it has @tensorflow/tfjs installed.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(outside, 'node_modules'), 'dir');
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe('studio export --model', () => {
  it('writes a model folder whose generate.mjs, in plain Node, writes the texts studio sample writes, and refuses what it cannot do', async () => {
    expect((await studio('import', TEXTS, '--json')).code).toBe(0);
    const trained = await studio(
      'train',
      '--dataset',
      '1',
      '--model',
      'char-gpt-tiny',
      '--steps',
      '8',
      '--no-evaluate',
      '--json',
    );
    expect(trained.code, trained.stderr).toBe(0);
    const run = JSON.parse(trained.stdout) as { id: number; checkpointStep: number };

    const folder = path.join(outside, 'gpt');
    const exported = await studio(
      'export',
      '--run',
      String(run.id),
      '--model',
      '--out',
      folder,
      '--json',
    );
    expect(exported.code, exported.stderr).toBe(0);
    const result = JSON.parse(exported.stdout) as ModelExportResult;
    expect(result).toMatchObject({
      runId: run.id,
      family: 'char-gpt',
      step: run.checkpointStep,
      folder,
    });
    expect(existsSync(`${folder}.zip`)).toBe(true);
    expect(readFileSync(path.join(folder, 'model-card.md'), 'utf8')).toContain('char-gpt');

    const sampled = await studio('sample', '--run', String(run.id), '--max-length', '40', '--json');
    expect(sampled.code, sampled.stderr).toBe(0);
    const studioTexts = (JSON.parse(sampled.stdout) as SampleView[]).map((s) => s.text);

    const script = path.join(outside, 'generate-texts.mjs');
    writeFileSync(
      script,
      `import { loadStudioModel } from './gpt/load-node.mjs';
import { generateTexts } from './gpt/generate.mjs';
const { tf, model, info } = await loadStudioModel();
const texts = generateTexts(tf, model, info, { maxLength: 40 }, 1);
process.stdout.write('RESULT ' + JSON.stringify(texts) + '\\n');`,
    );
    const { stdout } = await execute(process.execPath, [script], { cwd: outside });
    const line = stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? 'RESULT null';
    expect(JSON.parse(line.slice('RESULT '.length))).toEqual(studioTexts);
    expect(studioTexts).toHaveLength(4);

    // What it refuses: a step the run does not keep, a folder with files in it.
    const id = String(run.id);
    const wrongStep = await studio('export', '--run', id, '--model', '--step', '999');
    expect(wrongStep.code).toBe(EXIT.usage);
    expect(wrongStep.stderr).toContain('keeps no checkpoint at step 999');
    const taken = await studio('export', '--run', id, '--model', '--out', folder);
    expect(taken.code).toBe(EXIT.usage);
    expect(taken.stderr).toContain('is not empty');
  }, 300_000);
});
