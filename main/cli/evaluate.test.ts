import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunEvaluation } from '../../preload/contract';
import { tempDir } from '../testing/fixtures';
import { EXIT } from './exitCodes';

// `studio evaluate` as a script sees it, through the built command line (bin/studio.js): a run
// trained without its end-of-run evaluation is judged on demand, the JSON holds every figure and
// the evidence, and a step it has no checkpoint of is wrong usage.
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
  ({ dir: dataDir, cleanup } = tempDir('studio-evaluate-'));
});

afterAll(async () => {
  await cleanup();
});

describe('studio evaluate', () => {
  it('judges a run on demand with --json, and refuses a step it has no checkpoint of', async () => {
    expect((await studio('import', IMAGES, '--json')).code).toBe(0);
    const trained = await studio(
      'train',
      '--dataset',
      '1',
      '--model',
      'conv-vae-tiny',
      '--steps',
      '6',
      '--no-evaluate',
      '--json',
    );
    expect(trained.code, trained.stderr).toBe(0);
    const run = JSON.parse(trained.stdout) as { id: number; checkpointStep: number };

    const evaluated = await studio('evaluate', '--run', String(run.id), '--json');
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const evaluation = JSON.parse(evaluated.stdout) as RunEvaluation;
    expect(evaluation).toMatchObject({ runId: run.id, step: run.checkpointStep, kind: 'image' });
    for (const name of [
      'eval_frechet_distance',
      'eval_kid',
      'eval_coverage',
      'eval_near_copy_share',
    ]) {
      expect(Number.isFinite(evaluation.metrics[name]), name).toBe(true);
    }
    expect(evaluation.imageSamples.length).toBeGreaterThan(0);
    expect(evaluation.cost.parameters).toBeGreaterThan(0);

    const wrongStep = await studio('evaluate', '--run', String(run.id), '--step', '999');
    expect(wrongStep.code).toBe(EXIT.usage);
    expect(wrongStep.stderr).toContain('newest checkpoint');
  }, 180_000);
});
