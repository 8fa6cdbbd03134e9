import { expect, SAMPLE_IMAGES, test } from './studio';

// "Generate to augment": two samples starred with the keyboard become synthetic items of a new
// dataset version, which the dataset's version view counts.
test('two starred samples are added to the dataset as a new version with 2 synthetic items', async ({
  page,
  studio,
}) => {
  const imported = await studio.cli(['import', SAMPLE_IMAGES, '--name', 'digits', '--json']);
  expect(imported.code).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-training').click();
  await page.getByTestId('train-dataset-select').selectOption(String(datasetId));
  await page.getByTestId('train-preset-select').selectOption('vae-tiny');
  await expect(page.getByTestId('train-include-synthetic')).toBeChecked();
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });

  await page.getByTestId('nav-gallery').click();
  // Training samples no evaluation judged (gallery-nearest.spec checks the judged ones' suggestion).
  await page.getByTestId('gallery-evaluated-select').selectOption('false');
  const cards = page.getByTestId('sample-card');
  await expect(cards.first()).toBeVisible();
  await cards.first().click();
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('s');
  await expect(cards.nth(0)).toHaveAttribute('data-rating', 'starred');
  await expect(cards.nth(1)).toHaveAttribute('data-rating', 'starred');

  // With nothing selected, "add to dataset" takes the starred samples.
  await expect(page.getByTestId('add-to-dataset-button')).toContainText('Add 2 starred');
  await page.getByTestId('add-to-dataset-button').click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('add-to-dataset-target')).toHaveText('digits');
  await expect(dialog.getByTestId('add-to-dataset-next-version')).toHaveText('v2');
  await expect(dialog.getByTestId('add-to-dataset-sample')).toHaveCount(2);
  // A VAE is not asked for a class: the person picks one (the smallest is preselected).
  const classAll = dialog.getByTestId('add-to-dataset-class-all');
  await expect(classAll).toBeVisible();
  await expect(dialog.getByTestId('add-to-dataset-suggestion')).toHaveText([
    'evaluate the run to get a suggestion',
    'evaluate the run to get a suggestion',
  ]);
  await classAll.click();
  await page.getByRole('option').filter({ hasText: /^7 / }).click();
  await expect(classAll).toHaveValue(/^7 /);
  await page.screenshot({ path: test.info().outputPath('augment-dialog.png') });
  await dialog.getByTestId('add-to-dataset-confirm').click();

  const result = page.getByTestId('add-to-dataset-result');
  await expect(result).toContainText('v2');
  await expect(page.getByTestId('add-to-dataset-synthetic')).toHaveText('2');
  await expect(result).toContainText('7: 2');

  // The dataset's newest version is v2 and says it holds 2 synthetic items.
  await page.getByTestId('add-to-dataset-open').click();
  await expect(page.getByTestId('version-current-number')).toHaveText('v2');
  await expect(page.getByTestId('version-synthetic')).toHaveText('2 synthetic');
  await expect(page.getByTestId('version-current-note')).toContainText('2 synthetic added');
  await page.screenshot({ path: test.info().outputPath('augment-version.png'), fullPage: true });
});
