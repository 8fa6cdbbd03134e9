import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StudioCore } from '../core/studioCore';
import { dispatchCall } from '../core/dispatch';
import { tempDir } from '../testing/fixtures';

// runs:exportModel over the real core and ML worker (the built out/main/mlWorker.js): a tiny run
// trained, exported, its folder and ZIP checked, and its example run in a plain Node process.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const run = promisify(execFile);

let core: StudioCore;
let dataDir: string;
let outside: string;
let cleanup: () => Promise<void>;
let cleanupOutside: () => Promise<void>;
let runId: number;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  ({ dir: dataDir, cleanup } = tempDir());
  ({ dir: outside, cleanup: cleanupOutside } = tempDir('model-export-out-'));
  // A folder of its own, as a person's; it finds @tensorflow/tfjs as an installed copy would.
  symlinkSync(path.join(REPO, 'node_modules'), path.join(outside, 'node_modules'), 'dir');
  core = new StudioCore({ dataDir, shell: 'browser', workerPath: WORKER });
  // The digits as a person's folder that says its terms (a license file the card quotes).
  const digits = path.join(outside, 'digits');
  cpSync(path.join(REPO, 'resources', 'sample-images'), digits, { recursive: true });
  writeFileSync(path.join(digits, 'LICENSE'), 'CC0 1.0 Universal\n\nNo rights reserved.\n');
  const datasetId = (await core.datasets.importFolder(digits)).dataset.id;
  const started = await core.runs.start({ datasetId, presetId: 'conv-vae-tiny', steps: 6 });
  expect(await core.runs.waitFor(started.id)).toMatchObject({ status: 'completed', step: 6 });
  runId = started.id;
}, 180_000);

afterAll(async () => {
  await core.close();
  await cleanup();
  await cleanupOutside();
});

describe('runs:exportModel', () => {
  it('writes the model folder, its model card and a ZIP of it under the exports, and the example runs in plain Node', async () => {
    const result = await core.handlers['runs:exportModel']({ runId });
    expect(result).toMatchObject({ runId, family: 'conv-vae', step: 6, format: 'graph-model' });
    expect(result.folder.startsWith(path.join(dataDir, 'exports', 'export-'))).toBe(true);
    expect(result.zipId).toBe(path.basename(result.folder));
    const names = result.files.map((f) => path.basename(f)).sort();
    expect(names).toEqual(
      [
        'example.mjs',
        'generate.mjs',
        'group1-shard1of1.bin',
        'load-node.mjs',
        'model-card.md',
        'model.json',
        'package.json',
        'studio-model.json',
      ].sort(),
    );
    const zipped = unzipSync(readFileSync(result.zipPath));
    expect(Object.keys(zipped).sort()).toEqual(names);
    expect(
      Buffer.from(zipped['model.json'] ?? []).equals(
        readFileSync(path.join(result.folder, 'model.json')),
      ),
    ).toBe(true);

    const card = readFileSync(path.join(result.folder, 'model-card.md'), 'utf8');
    const detail = core.runs.get(runId);
    expect(card).toContain('conv-vae');
    expect(card).toContain(
      `${detail.datasetName} (id ${detail.datasetId}), version ${detail.versionNumber}`,
    );
    expect(card).toMatch(/\| loss \| [-\d.e]+ \| [-\d.e]+ \(lower is better\) \|/);
    expect(card).toContain('"latentDim"');
    expect(card).toContain(
      `License of the data: CC0 1.0 Universal (as ${path.join(outside, 'digits', 'LICENSE')} declares)`,
    );

    // The folder as someone else gets it: copied out of the studio, its example run as is.
    const copy = path.join(outside, 'model');
    mkdirSync(copy);
    for (const [name, bytes] of Object.entries(zipped)) writeFileSync(path.join(copy, name), bytes);
    const { stdout } = await run(process.execPath, ['example.mjs'], { cwd: copy });
    expect(stdout).toContain('conv-vae trained 6 steps');
    expect(stdout).toContain("[ '28x28x1', '28x28x1', '28x28x1', '28x28x1' ]");
  }, 120_000);

  it('exports a chosen step it keeps, into a chosen new folder, and says which steps it keeps otherwise', async () => {
    const folder = path.join(outside, 'at-step-6');
    const result = await core.handlers['runs:exportModel']({ runId, step: 6, folder });
    expect(result).toMatchObject({ folder, step: 6, zipPath: `${folder}.zip`, zipId: '' });
    expect(JSON.parse(readFileSync(path.join(folder, 'studio-model.json'), 'utf8'))).toMatchObject({
      family: 'conv-vae',
      step: 6,
      kind: 'image',
      imageSize: 28,
      pixelRange: 'zero-one',
    });
    await expect(core.handlers['runs:exportModel']({ runId, step: 3 })).rejects.toThrow(
      /keeps no checkpoint at step 3; it has step 6/,
    );
  }, 60_000);

  it('never writes into a folder with files in it, nor over a ZIP', async () => {
    const full = path.join(outside, 'full');
    mkdirSync(full);
    writeFileSync(path.join(full, 'mine.txt'), 'keep me');
    await expect(core.handlers['runs:exportModel']({ runId, folder: full })).rejects.toThrow(
      /is not empty; choose a new folder/,
    );
    expect(readFileSync(path.join(full, 'mine.txt'), 'utf8')).toBe('keep me');
    writeFileSync(path.join(outside, 'zipped.zip'), 'a zip of mine');
    await expect(
      core.handlers['runs:exportModel']({ runId, folder: path.join(outside, 'zipped') }),
    ).rejects.toThrow(/zipped\.zip already exists/);
  });

  it('answers bad input with a clear failure', async () => {
    expect(await dispatchCall(core.handlers, 'runs:exportModel', { runId: 'one' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await dispatchCall(core.handlers, 'runs:exportModel', { runId: 999 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});
