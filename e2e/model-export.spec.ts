import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { expect, REPO, SAMPLE_IMAGES, test } from './studio';

const execute = promisify(execFile);

// Issue 12, "export a model and load it in a Node test that generates from it": a tiny run trained
// in the browser, its model exported from the run view, the ZIP downloaded and unpacked elsewhere,
// and the folder's own loader and sampling loop run in a plain Node process.
test('exports a trained model from the run view and generates from it in plain Node', async ({
  page,
  studio,
}) => {
  test.setTimeout(360_000);
  const folder = path.join(studio.workDir, 'digits');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const imported = await studio.cli(['import', folder, '--name', 'digits', '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-dataset-select').selectOption(String(datasetId));
  await page.getByTestId('train-preset-select').selectOption('dcgan-tiny');
  await page.getByTestId('train-steps-input').fill('10');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });
  // The run view's last change: the report card fills in with the end-of-run evaluation and
  // pushes the export panel ~800 px down. Playwright checks only where its mousedown lands, so a
  // click that straddles that move ends its mouseup elsewhere, no click event reaches the button
  // and no export starts (it once waited 150 s for a result that was never asked for).
  await expect(page.getByTestId('report-card')).toHaveAttribute('data-evaluated', 'true', {
    timeout: 120_000,
  });

  const panel = page.getByTestId('model-export');
  await panel.getByTestId('model-export-button').click();
  const result = panel.getByTestId('model-export-result');
  await expect(result).toBeVisible({ timeout: 60_000 });
  await expect(result).toContainText('Exported the dcgan model at step 10');
  await expect(panel.getByTestId('model-export-file-count')).toHaveText('8');
  const exportedFolder = (await panel.getByTestId('model-export-folder').textContent()) ?? '';
  for (const name of ['model.json', 'group1-shard1of1.bin', 'studio-model.json', 'model-card.md']) {
    expect(existsSync(path.join(exportedFolder, name)), name).toBe(true);
  }
  await result.scrollIntoViewIfNeeded();
  await page
    .getByTestId('run-panel')
    .screenshot({ path: path.join(test.info().outputDir, 'model-export.png') });

  // The ZIP as a person downloads it, unpacked in their own project (which has tfjs installed).
  const downloading = page.waitForEvent('download');
  await panel.getByTestId('model-export-zip-link').click();
  const zipFile = path.join(studio.workDir, 'model.zip');
  await (await downloading).saveAs(zipFile);
  const project = path.join(studio.workDir, 'project');
  const unpacked = path.join(project, 'model');
  mkdirSync(unpacked, { recursive: true });
  symlinkSync(path.join(REPO, 'node_modules'), path.join(project, 'node_modules'), 'dir');
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zipFile)))) {
    writeFileSync(path.join(unpacked, name), bytes);
  }
  const script = path.join(project, 'generate.mjs');
  writeFileSync(
    script,
    `import { loadStudioModel } from './model/load-node.mjs';
import { generateImages } from './model/generate.mjs';
const { tf, model, info } = await loadStudioModel();
const images = generateImages(tf, model, info, { count: 3, seed: 1 });
const distinct = new Set(images.flatMap((image) => Array.from(image.pixels))).size;
process.stdout.write('RESULT ' + JSON.stringify({ backend: tf.getBackend(), family: info.family,
  shapes: images.map((i) => [i.width, i.height, i.channels]), distinct,
  pixels: images.map((i) => Array.from(i.pixels)) }) + '\\n');`,
  );
  const { stdout } = await execute(process.execPath, [script], { cwd: project });
  const line = stdout.split('\n').find((l) => l.startsWith('RESULT ')) ?? 'RESULT null';
  const generated = JSON.parse(line.slice('RESULT '.length)) as {
    backend: string;
    family: string;
    shapes: number[][];
    distinct: number;
    pixels: number[][];
  };
  expect(generated).toMatchObject({
    backend: 'cpu',
    family: 'dcgan',
    shapes: [
      [28, 28, 1],
      [28, 28, 1],
      [28, 28, 1],
    ],
  });
  expect(generated.distinct).toBeGreaterThan(1);

  // The same folder in a browser: tfjs's own bundle, tf.loadGraphModel over HTTP, generate.mjs.
  const site = 'http://model.test';
  await page.route(`${site}/**`, (route) => {
    const file = new URL(route.request().url()).pathname;
    if (file === '/') {
      return route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>model</title>',
      });
    }
    const source =
      file === '/tf.min.js'
        ? path.join(REPO, 'node_modules', '@tensorflow', 'tfjs', 'dist', 'tf.min.js')
        : path.join(unpacked, path.basename(file));
    const type = file.endsWith('.js') || file.endsWith('.mjs') ? 'text/javascript' : undefined;
    return route.fulfill({ path: source, ...(type ? { contentType: type } : {}) });
  });
  await page.goto(`${site}/`);
  await page.addScriptTag({ url: `${site}/tf.min.js` });
  const inBrowser = await page.evaluate(async (base) => {
    type Tf = {
      loadGraphModel(url: string): Promise<unknown>;
      ready(): Promise<void>;
      getBackend(): string;
    };
    const tf = (globalThis as unknown as { tf: Tf }).tf;
    await tf.ready();
    const generate = (await import(`${base}/generate.mjs`)) as {
      generateImages(tf: Tf, model: unknown, info: unknown, o: object): { pixels: Uint8Array }[];
    };
    const info = (await (await fetch(`${base}/studio-model.json`)).json()) as unknown;
    const model = await tf.loadGraphModel(`${base}/model.json`);
    const images = generate.generateImages(tf, model, info, { count: 3, seed: 1 });
    return { backend: tf.getBackend(), pixels: images.map((i) => Array.from(i.pixels)) };
  }, site);
  test.info().annotations.push({ type: 'browser backend', description: inBrowser.backend });
  process.stdout.write(`browser backend: ${inBrowser.backend}\n`);
  expect(inBrowser.pixels).toHaveLength(3);
  inBrowser.pixels.forEach((pixels, i) => {
    const node = generated.pixels[i] ?? [];
    expect(pixels).toHaveLength(node.length);
    // WebGL computes in its own precision: a pixel may land one 8-bit level from Node's.
    const worst = Math.max(...pixels.map((v, k) => Math.abs(v - (node[k] ?? -99))));
    expect(worst, `image ${i} on ${inBrowser.backend}`).toBeLessThanOrEqual(1);
  });
});
