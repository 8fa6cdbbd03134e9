import path from 'node:path';
import { digitsWithBadFiles, expect, runCli, SAMPLE_TEXT, test } from './studio';

test('importing a folder by the picker shows counts, classes, thumbnails and the skipped files', async ({
  page,
  studio,
}) => {
  const folder = await digitsWithBadFiles(studio.workDir);
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();

  // The browser shell uploads the chosen directory, the server imports it.
  await page.getByTestId('import-folder-input').setInputFiles(folder);

  await expect(page.getByTestId('import-report')).toBeVisible();
  await expect(page.getByTestId('dataset-item-count')).toHaveText('300');
  const classRows = page.getByTestId('class-row');
  await expect(classRows).toHaveCount(10);
  for (let digit = 0; digit < 10; digit++) {
    await expect(
      page.locator(`[data-testid="class-row"][data-label="${digit}"] [data-testid="class-count"]`),
    ).toHaveText('30');
  }
  const skipped = page.getByTestId('import-report').getByTestId('skipped-file');
  await expect(skipped).toHaveCount(2);
  await expect(skipped.filter({ hasText: 'broken.png' })).toContainText(/corrupt or truncated/);
  await expect(skipped.filter({ hasText: 'notes.txt' })).toContainText(/not an image/);

  const thumbnails = page.getByTestId('thumbnail-grid').getByTestId('thumbnail');
  await expect(thumbnails.first()).toBeVisible();
  // Thumbnails are real images served by the studio, not broken links.
  await expect(thumbnails.first()).not.toHaveJSProperty('naturalWidth', 0);
});

test('the import options read a text folder one line per item, as the command line does', async ({
  page,
  studio,
}) => {
  // The same folder and settings through the command line, into another data dir, give the count.
  const expected = await runCli(path.join(studio.workDir, 'cli-data'), [
    'import',
    SAMPLE_TEXT,
    '--kind',
    'text',
    '--text-unit',
    'line',
    '--json',
  ]);
  expect(expected.code).toBe(0);
  const { importedCount } = JSON.parse(expected.stdout) as { importedCount: number };
  expect(importedCount).toBeGreaterThan(200);

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('import-options-toggle').click();
  await page.getByTestId('import-kind').selectOption('text');
  await page.getByTestId('import-text-unit').selectOption('line');
  await page.getByTestId('import-folder-input').setInputFiles(SAMPLE_TEXT);
  await expect(page.getByTestId('import-report')).toBeVisible();
  await expect(page.getByTestId('dataset-item-count')).toHaveText(String(importedCount));
});
