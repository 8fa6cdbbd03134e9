import { cpSync } from 'node:fs';
import path from 'node:path';
import { expect, SAMPLE_IMAGES, test } from './studio';

// Issue 11 in the run view: a tiny run is judged when it completes, its report card shows every
// section with a verdict, each evaluated sample sits above its nearest training item (a click
// opens the item), and the Evaluate button judges it again.
test('a finished run has a report card with its samples’ nearest training items', async ({
  page,
  studio,
}) => {
  // The server reads only under its work dir.
  const folder = path.join(studio.workDir, 'digits');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const imported = await studio.cli(['import', folder, '--name', 'digits', '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-dataset-select').selectOption(String(datasetId));
  await page.getByTestId('train-preset-select').selectOption('vae-tiny');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });

  const card = page.getByTestId('report-card');
  await expect(card).toHaveAttribute('data-evaluated', 'true', { timeout: 120_000 });
  await expect(card.getByTestId('evaluation-verdict')).toContainText(/Samples/);
  for (const figure of [
    'eval_frechet_distance',
    'eval_kid',
    'eval_coverage',
    'eval_near_copy_share',
  ]) {
    await expect(card.getByTestId(`figure-${figure}`)).toBeVisible();
  }
  await expect(card.getByTestId('evaluation-cost')).toContainText('parameters');
  const nearest = card.getByTestId('nearest-training-item').first();
  await expect(nearest).toBeVisible();
  await expect(nearest).toHaveAttribute('href', /\/media\/blob\/[0-9a-f]{64}$/);
  const thumb = nearest.locator('img');
  await expect
    .poll(() =>
      thumb.evaluate((element) => {
        const img = element as unknown as { complete: boolean; naturalWidth: number };
        return img.complete && img.naturalWidth > 0;
      }),
    )
    .toBe(true);
  await card.scrollIntoViewIfNeeded();
  await card.screenshot({ path: path.join(test.info().outputDir, 'report-card.png') });

  await card.getByTestId('evaluate-run').click();
  await expect(card.getByTestId('evaluate-run')).toHaveText('Evaluate again', { timeout: 120_000 });
  await expect(card.getByTestId('evaluate-run')).not.toHaveAttribute('data-loading', 'true', {
    timeout: 120_000,
  });
  await expect(card.getByTestId('nearest-training-item').first()).toBeVisible();
});

// The quick in-run evaluation: a run that validates charts its eval_quick_* figures as curves
// (one point per validation step) in the run view while it trains and after.
test('a run that validates charts its in-run evaluation figures as curves', async ({
  page,
  studio,
}) => {
  // The version's feature network is trained at the run's start: slow on a loaded machine.
  test.setTimeout(600_000);
  const folder = path.join(studio.workDir, 'digits');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const imported = await studio.cli(['import', folder, '--name', 'digits', '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-dataset-select').selectOption(String(datasetId));
  await page.getByTestId('train-preset-select').selectOption('conv-vae-tiny');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 420_000 });

  // conv-vae-tiny validates every 20 of its 60 steps.
  for (const figure of ['frechet_distance', 'coverage', 'near_copy_share']) {
    const chart = page.getByTestId(`evaluation-chart-eval_quick_${figure}`);
    await expect(chart).toBeVisible({ timeout: 60_000 });
    await expect(chart).toContainText(`${figure.replaceAll('_', ' ')} · in-run (3)`);
  }
  const charts = page.getByTestId('evaluation-charts');
  await charts.scrollIntoViewIfNeeded();
  await charts.screenshot({ path: path.join(test.info().outputDir, 'in-run-charts.png') });
});
