import { cpSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { RunSummary } from '../preload/contract';
import { expect, SAMPLE_IMAGES, selectRun, test } from './studio';

// The run history: two tiny runs that differ in their steps, named and found again by search,
// filtered by a metric bound and by backend, compared side by side (overlaid curves by step and
// by wall time, config diff, grids at a common step), and the grid over training moving with its
// step slider.

async function trainTiny(page: Page, steps: number): Promise<number> {
  await page.getByTestId('train-preset-select').selectOption('vae-tiny');
  await page.getByTestId('train-steps-input').fill(String(steps));
  await page.getByTestId('train-start').click();
  const panel = page.getByTestId('run-panel');
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });
  await expect(page.getByTestId('run-step')).toHaveText(`${steps} / ${steps}`);
  // The report card fills in last and moves everything below it (the runs table, the details):
  // a click that straddles that move is lost (see model-export.spec), so let the view settle.
  await expect(page.getByTestId('report-card')).toHaveAttribute('data-evaluated', 'true', {
    timeout: 120_000,
  });
  return Number(await panel.getAttribute('data-run-id'));
}

test('filter the runs, compare two with overlaid curves and a config diff, slide through the grids', async ({
  page,
  studio,
}, testInfo) => {
  // The CLI imports through the running server, which opens folders under its --root only.
  const digits = path.join(studio.workDir, 'digits');
  cpSync(SAMPLE_IMAGES, digits, { recursive: true });
  const imported = await studio.cli(['import', digits, '--name', 'digits', '--json']);
  expect(imported.code).toBe(0);
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  const first = await trainTiny(page, 60);
  const second = await trainTiny(page, 40);

  // Name the first run, then find it by its name.
  await selectRun(page, first);
  const details = page.getByTestId('run-details');
  await details.getByTestId('run-name-input').fill('baseline');
  await details.getByTestId('run-notes-save').click();
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(2);
  await page.getByTestId('runs-search').fill('baseline');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-run-id', String(first));
  await page.getByTestId('runs-search').fill('');
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId('run-row-version').first()).toContainText('digits v1');

  // Filter by a metric, both ways, with a bound between the two runs' final losses.
  const listed = await page.request.post(new URL('/api/call/runs%3Alist', studio.url).href, {
    data: {},
    headers: { authorization: `Bearer ${studio.token}` },
  });
  const { value: listedRuns } = (await listed.json()) as { value: RunSummary[] };
  const finals = new Map(listedRuns.map((r) => [r.id, r.metricSummary.loss?.final]));
  const [lower, higher] = [first, second].sort((a, b) => finals.get(a)! - finals.get(b)!);
  const between = (finals.get(lower!)! + finals.get(higher!)!) / 2;
  // Written to the input's 6 decimals and ending in 0 ("222.626320"), as a person may type it:
  // Mantine hands such text over as a string, which the filter once took for no bound at all.
  const bound = `${between.toFixed(5)}0`;
  await page.getByTestId('runs-filter-metric').click();
  await page.getByRole('option', { name: 'loss', exact: true }).click();
  await page.getByTestId('runs-filter-metric-max').fill(bound);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-run-id', String(lower));
  await page.getByTestId('runs-filter-metric-max').fill('');
  await page.getByTestId('runs-filter-metric-min').fill(bound);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-run-id', String(higher));
  await page.getByTestId('runs-filter-metric-min').fill('');
  await expect(rows).toHaveCount(2);
  // And by the backend both trained on (the table shows it): both stay.
  const backend = (await page.getByTestId('run-row-backend').first().textContent()) ?? '';
  await page.getByTestId('runs-filter-backend').click();
  await page.getByRole('option', { name: backend, exact: true }).click();
  await expect(rows).toHaveCount(2);

  // The grid over training changes with the step slider (same seeds, another step).
  await details.getByTestId('run-tab-samples').click();
  const grid = details.getByTestId('sample-timeline-grid');
  await expect(grid).toHaveAttribute('data-step', '60');
  const lastIds = await grid
    .getByTestId('grid-sample')
    .evaluateAll((imgs) => imgs.map((img) => img.getAttribute('data-sample-id')));
  await details.getByTestId('sample-step-slider').getByRole('slider').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(grid).toHaveAttribute('data-step', '40');
  const earlierIds = await grid
    .getByTestId('grid-sample')
    .evaluateAll((imgs) => imgs.map((img) => img.getAttribute('data-sample-id')));
  expect(earlierIds).toHaveLength(lastIds.length);
  expect(earlierIds).not.toEqual(lastIds);

  await page.getByTestId('runs-table').screenshot({ path: testInfo.outputPath('runs-table.png') });

  // Select both rows and compare them.
  for (const row of await rows.all()) await row.getByTestId('run-row-select').check();
  await page.getByTestId('runs-compare').click();
  await expect(page.getByTestId('compare-page')).toBeVisible();
  await expect(page.getByTestId('compare-curves')).toHaveAttribute('data-series', '2');
  expect(
    Number(await page.getByTestId('compare-curves').getAttribute('data-points')),
  ).toBeGreaterThan(2);
  await expect(page.locator('[data-testid="compare-curves"] .recharts-line')).toHaveCount(2);
  // By wall time the same two runs overlay, each point at the training time it was recorded.
  await page.getByTestId('compare-x-axis').getByText('by wall time').click();
  await expect(page.getByTestId('compare-curves')).toHaveAttribute('data-series', '2');
  await expect(page.getByTestId('compare-curves-card')).toContainText('seconds of training');
  await page.getByTestId('compare-x-axis').getByText('by step').click();
  const stepsRow = page.locator('[data-testid="config-diff-row"][data-key="training.steps"]');
  await expect(stepsRow).toContainText('60');
  await expect(stepsRow).toContainText('40');
  await expect(
    page.locator('[data-testid="config-diff-row"][data-key="config.latentDim"]'),
  ).toHaveCount(0);
  await expect(page.getByTestId('compare-metrics-row')).toHaveCount(2);
  await expect(page.locator('[data-testid="compare-metric-loss"][data-best="true"]')).toHaveCount(
    1,
  );

  // Grids side by side at a step both runs sampled; the slider moves both.
  const compareGrids = page.getByTestId('compare-sample-grid');
  await expect(compareGrids).toHaveCount(2);
  await expect(compareGrids.first()).toHaveAttribute('data-step', '40');
  await page.getByTestId('compare-samples').getByRole('slider').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(compareGrids.nth(0)).toHaveAttribute('data-step', '20');
  await expect(compareGrids.nth(1)).toHaveAttribute('data-step', '20');

  await page.getByTestId('compare-smoothing').getByRole('slider').focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('compare-curves-card')).toContainText('raw');
  await page.mouse.move(0, 0); // no tooltip over the curves in the picture
  await page.screenshot({ path: testInfo.outputPath('compare.png'), fullPage: true });
  expect(second).not.toBe(first);
});
