import type { Page } from '@playwright/test';
import { expect, SAMPLE_IMAGES, test } from './studio';

const classCount = (page: Page, label: string) =>
  page.locator(`[data-testid="class-row"][data-label="${label}"] [data-testid="class-count"]`);

test('curating makes versions: exclude and relabel show their diff, undo and restore add versions', async ({
  page,
  studio,
}) => {
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('import-folder-input').setInputFiles(SAMPLE_IMAGES);
  await expect(page.getByTestId('dataset-item-count')).toHaveText('300');
  await expect(page.getByTestId('version-current-number')).toHaveText('v1');
  await expect(page.getByTestId('version-current-split')).toHaveText('270 train · 30 validation');

  // Exclude two items: the grid is sorted by path, so the first two are zeros.
  const tiles = page.getByTestId('thumbnail-grid').getByTestId('thumbnail-tile');
  await tiles.nth(0).click();
  await tiles.nth(1).click();
  await expect(page.getByTestId('selection-count')).toHaveText('2 selected');
  await expect(page.getByTestId('item-detail-image')).toBeVisible();
  await page.getByTestId('selection-exclude').click();
  await expect(page.getByTestId('version-current-number')).toHaveText('v2');
  await expect(page.getByTestId('version-current-note')).toHaveText('2 excluded');
  await expect(page.getByTestId('dataset-item-count')).toHaveText('298');
  await expect(classCount(page, '0')).toHaveText('28');
  // Excluded items stay in the grid, marked, so they can be included again.
  await expect(tiles.nth(0)).toHaveAttribute('data-included', 'false');

  // Relabel one 7 as a 1, found through the class histogram.
  await page.locator('[data-testid="class-row"][data-label="7"]').click();
  await expect(tiles.first()).toHaveAttribute('data-label', '7');
  await tiles.first().click();
  await page.getByTestId('relabel-input').fill('1');
  await page.getByTestId('relabel-apply').click();
  await expect(page.getByTestId('version-current-note')).toHaveText('1 relabeled 7→1');
  await expect(classCount(page, '7')).toHaveText('29');
  await expect(classCount(page, '1')).toHaveText('31');

  // The history lists every version with its diff from its parent.
  await page.getByTestId('tab-history').click();
  const rows = page.getByTestId('version-row');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0).getByTestId('version-note')).toHaveText('1 relabeled 7→1');
  await expect(rows.nth(1).getByTestId('version-note')).toHaveText('2 excluded');
  await expect(rows.nth(2).getByTestId('version-note')).toHaveText('imported');

  // Undo is a new version with the content from before the relabel.
  await page.getByTestId('version-undo').click();
  await expect(page.getByTestId('version-current-note')).toHaveText('Undo v3: 1 relabeled 1→7');
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(0).getByTestId('version-item-count')).toHaveText('298');

  // Restoring the import shows what it will change, then makes version 5.
  await page
    .locator('[data-testid="version-row"][data-number="1"]')
    .getByTestId('version-restore')
    .click();
  await expect(page.getByTestId('version-restore-preview')).toHaveText('Changes: 2 included');
  await page.getByTestId('version-restore-confirm').click();
  await expect(page.getByTestId('version-current-note')).toHaveText('Restore v1: 2 included');
  await expect(rows).toHaveCount(5);
  await expect(page.getByTestId('dataset-item-count')).toHaveText('300');
  await page.getByTestId('tab-browse').click();
  await expect(classCount(page, '0')).toHaveText('30');
  await expect(classCount(page, '7')).toHaveText('30');
});

test('preparing previews the settings on real images and saves them as a version', async ({
  page,
  studio,
}) => {
  const imported = await studio.cli(['import', SAMPLE_IMAGES, '--name', 'digits', '--json']);
  expect(imported.code).toBe(0);
  const { datasetId } = JSON.parse(imported.stdout) as { datasetId: number };
  await page.goto(`${studio.url}#/datasets/${datasetId}`);
  await page.getByTestId('tab-prepare').click();
  const prepared = page.getByTestId('preview-prepared');
  await expect(prepared).toHaveCount(6);
  await expect(prepared.first()).toHaveJSProperty('naturalWidth', 28);

  await page.getByTestId('prep-size').fill('32');
  await page.getByTestId('prep-flip').check();
  await expect(prepared.first()).toHaveJSProperty('naturalWidth', 32);
  await expect(page.getByTestId('preview-augmented')).toHaveCount(6 * 4);
  await expect(page.getByTestId('prep-state')).toHaveText('Unsaved changes');
  await page.getByTestId('prep-save').click();
  await expect(page.getByTestId('version-current-note')).toHaveText('size 28→32, flip off→on');
  await expect(page.getByTestId('prep-state')).toHaveText('These are the settings of v2.');
});
