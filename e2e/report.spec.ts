import { promises as fs } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { expect, SAMPLE_IMAGES, selectRun, test } from './studio';

// A run's report, exported from the run view, opened from disk in Chromium with the network
// cut off: its curves, a sample image and its metrics must all be inside the one file.

test('export a run report from the run view and open it from disk, offline', async ({
  page,
  studio,
  browser,
}, testInfo) => {
  const imported = await studio.cli(['import', SAMPLE_IMAGES, '--name', 'digits', '--json']);
  expect(imported.code).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-dataset-select').selectOption(String(datasetId));
  await page.getByTestId('train-preset-select').selectOption('vae-tiny');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });
  const runId = await page.getByTestId('run-panel').getAttribute('data-run-id');
  // The run is judged at its end: the report carries that evaluation's verdict.
  const card = page.getByTestId('report-card');
  await expect(card).toHaveAttribute('data-evaluated', 'true', { timeout: 120_000 });
  const runViewVerdict = (await card.getByTestId('evaluation-verdict').textContent()) ?? '';

  await selectRun(page, runId ?? '');
  const details = page.getByTestId('run-details');
  await details.getByTestId('run-report').click();
  const result = details.getByTestId('run-report-result');
  await expect(result).toBeVisible();
  const file = (await result.getByTestId('run-report-path').textContent())?.trim() ?? '';
  expect(file).toMatch(/exports[\\/]report-run-\d+-.*\.html$/);
  await details.screenshot({ path: testInfo.outputPath('run-view.png') });

  // The browser shell offers the same file for download, as an attachment.
  const href = await result.getByTestId('run-report-link').getAttribute('href');
  const download = await page.request.get(new URL(href ?? '', studio.url).toString());
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="report-run-/);
  expect(await download.text()).toBe(await fs.readFile(file, 'utf8'));

  // From disk, with every request that is not the file itself refused and counted.
  const offline = await browser.newContext({ offline: true });
  const fetched: string[] = [];
  await offline.route('**/*', (route) => {
    if (route.request().url().startsWith('file:')) return route.continue();
    fetched.push(route.request().url());
    return route.abort();
  });
  const report = await offline.newPage();
  await report.goto(pathToFileURL(file).toString());
  await expect(report.locator('#run-title')).toHaveText(`Run #${runId}`);
  const loss = report.locator('svg.curve[data-metric="loss"]');
  await expect(loss).toBeVisible();
  await expect(loss.locator('polyline').first()).toBeAttached();
  const image = report.locator('#grid-latest img').first();
  await expect(image).toBeVisible();
  await expect(image).not.toHaveJSProperty('naturalWidth', 0);
  await expect(report.locator('#metrics tr[data-metric="loss"]')).toBeVisible();
  // The same verdict the run view shows (there it is followed by the audit link's words).
  const reportVerdict = ((await report.locator('#verdict').textContent()) ?? '').trim();
  expect(reportVerdict).toMatch(/^Samples/);
  expect(runViewVerdict).toContain(reportVerdict);
  await expect(report.locator('#config')).toContainText('"latentDim"');
  await report.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
  expect(fetched).toEqual([]);
  await offline.close();
});
