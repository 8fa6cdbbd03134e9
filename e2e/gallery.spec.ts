import { promises as fs } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { expect, SAMPLE_IMAGES, test } from './studio';

interface ProvenanceFile {
  samples: {
    file: string;
    sampleId: number;
    rating: string | null;
    run: { id: number };
    dataset: { name: string; version: number };
    step: number;
    provenance: { seed: number | null; latentIndex: number | null };
  }[];
}

test('two samples starred with the keyboard are exported with a provenance file', async ({
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
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });

  await page.getByTestId('nav-gallery').click();
  const cards = page.getByTestId('sample-card');
  await expect(cards.first()).toBeVisible();
  // The tile says where it comes from; the grid renders a window, not every sample.
  await expect(cards.first()).toContainText(/#\d+ · step \d+/);

  // A header row per (run, step) group, newest step first, says whose samples follow.
  const headers = page.getByTestId('sample-group-header');
  const firstHeader = headers.first();
  await expect(firstHeader).toBeVisible();
  const runId = await firstHeader.getAttribute('data-run-id');
  const firstStep = Number(await firstHeader.getAttribute('data-step'));
  const groupSize = Number(await firstHeader.getAttribute('data-count'));
  expect(groupSize).toBeGreaterThan(1);
  await expect(firstHeader).toContainText(`Run #${runId} · step ${firstStep}`);
  await expect(firstHeader).toContainText(
    `dense-vae · vae-tiny · digits v1 · ${groupSize} samples`,
  );
  await expect(cards.first()).toContainText(`#${runId} · step ${firstStep}`);
  const secondStep = Number(await headers.nth(1).getAttribute('data-step'));
  expect(secondStep).toBeLessThan(firstStep);
  await expect(headers.nth(1)).toContainText(`Run #${runId} · step ${secondStep}`);

  // The keyboard moves sample by sample across a header, and up goes back over it.
  const focused = page.locator('[data-testid="sample-card"][data-focused="true"]');
  const cardAt = (index: number) =>
    page.locator(`[data-testid="sample-card"][data-index="${index}"]`);
  // The page scrolls the grid into view, so what the grid scrolls to is on screen.
  await page.getByTestId('sample-grid').evaluate((grid) => grid.scrollIntoView({ block: 'end' }));
  await cards.first().click();
  for (let i = 1; i < groupSize; i++) await page.keyboard.press('ArrowRight');
  await expect(focused).toHaveAttribute('data-index', String(groupSize - 1));
  await expect(focused).toContainText(`step ${firstStep}`);
  await page.keyboard.press('ArrowRight');
  await expect(focused).toHaveAttribute('data-index', String(groupSize));
  await expect(focused).toContainText(`step ${secondStep}`);
  await expect(headers.nth(1)).toBeInViewport();
  await page.screenshot({ path: test.info().outputPath('gallery-groups.png') });
  await page.keyboard.press('ArrowUp');
  await expect(focused).toContainText(`step ${firstStep}`);
  await page.keyboard.press('ArrowDown');
  await expect(focused).toContainText(`step ${secondStep}`);
  // The lightbox's arrows cross the header too: from the second group's first sample, back one.
  const lastOfFirst = await cardAt(groupSize - 1).getAttribute('data-sample-id');
  await page.keyboard.press('Home');
  await expect(focused).toHaveAttribute('data-index', '0');
  for (let i = 0; i < groupSize; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('lightbox-body')).toHaveAttribute(
    'data-sample-id',
    String(await cardAt(groupSize).getAttribute('data-sample-id')),
  );
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('lightbox-body')).toHaveAttribute(
    'data-sample-id',
    String(lastOfFirst),
  );
  await page.keyboard.press('Escape');
  await page.keyboard.press('Home');

  // Focus the grid, star the first sample, move right, star the second.
  await cards.first().click();
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('s');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('x');
  await expect(cards.nth(0)).toHaveAttribute('data-rating', 'starred');
  await expect(cards.nth(1)).toHaveAttribute('data-rating', 'starred');
  await expect(cards.nth(2)).toHaveAttribute('data-rating', 'rejected');
  const starredIds = [
    Number(await cards.nth(0).getAttribute('data-sample-id')),
    Number(await cards.nth(1).getAttribute('data-sample-id')),
  ];

  // The lightbox shows the focused sample's provenance; arrows step, Esc closes.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Enter');
  const lightbox = page.getByTestId('lightbox-body');
  await expect(lightbox).toHaveAttribute('data-sample-id', String(starredIds[1]));
  await expect(page.getByTestId('lightbox-provenance')).toContainText('digits v1');
  await expect(page.getByTestId('lightbox-provenance')).toContainText('Seed');
  await page.keyboard.press('ArrowLeft');
  await expect(lightbox).toHaveAttribute('data-sample-id', String(starredIds[0]));
  await page.screenshot({ path: test.info().outputPath('gallery-lightbox.png') });
  await page.keyboard.press('Escape');
  await expect(lightbox).toBeHidden();

  // The starred filter shows just those two, and the marks survive a reload.
  await page.reload();
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-gallery').click();
  await page.getByTestId('gallery-rating-filter').getByText('Starred').click();
  await expect(page.getByTestId('sample-count')).toContainText('2 samples');

  // With nothing selected, export takes the starred samples.
  const folder = path.join(studio.workDir, 'starred-export');
  await page.getByTestId('export-folder-input').fill(folder);
  await expect(page.getByTestId('export-button')).toContainText('Export 2 starred');
  await page.getByTestId('export-button').click();
  await expect(page.getByTestId('export-result')).toContainText(folder);

  const names = (await fs.readdir(folder)).sort();
  const pngs = names.filter((name) => name.endsWith('.png'));
  expect(pngs).toHaveLength(2);
  expect(names).toContain('provenance.json');
  const provenance = JSON.parse(
    await fs.readFile(path.join(folder, 'provenance.json'), 'utf8'),
  ) as ProvenanceFile;
  expect(provenance.samples.map((s) => s.sampleId).sort()).toEqual([...starredIds].sort());
  for (const entry of provenance.samples) {
    expect(pngs).toContain(entry.file);
    expect(entry.rating).toBe('starred');
    expect(entry.dataset).toMatchObject({ name: 'digits', version: 1 });
    expect(entry.provenance.seed).not.toBeNull();
    expect(entry.provenance.latentIndex).not.toBeNull();
  }
  const zip = unzipSync(new Uint8Array(await fs.readFile(`${folder}.zip`)));
  expect(Object.keys(zip).sort()).toEqual(names);
});
