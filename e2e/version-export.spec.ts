import { createHash } from 'node:crypto';
import { cpSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { expect, SAMPLE_IMAGES, test } from './studio';

// Issue 12's dataset export from the page (desktop and browser share it): a version's items as
// class folders of their original files with a manifest, so a bigger trainer can take them.
test('a dataset version exported from its history is class folders with a manifest', async ({
  page,
  studio,
}) => {
  const folder = path.join(studio.workDir, 'digits');
  cpSync(SAMPLE_IMAGES, folder, { recursive: true });
  const imported = await studio.cli(['import', folder, '--name', 'digits', '--json']);
  expect(imported.code, imported.stderr).toBe(0);

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('dataset-card').filter({ hasText: 'digits' }).click();
  const itemCount = Number(await page.getByTestId('dataset-item-count').textContent());
  expect(itemCount).toBeGreaterThan(0);
  await page.getByTestId('version-history-open').click();

  const out = path.join(studio.workDir, 'for-pytorch');
  const row = page.locator('[data-testid="version-row"][data-number="1"]');
  await row.getByTestId('version-export').click();
  await page.getByTestId('version-export-folder').fill(out);
  await page.getByTestId('version-export-confirm').click();

  const result = page.getByTestId('version-export-result');
  await expect(result).toBeVisible();
  await expect(result.getByTestId('version-export-count')).toHaveText(String(itemCount));
  await expect(result.getByTestId('version-export-path')).toHaveText(out);

  const manifest = JSON.parse(await fs.readFile(path.join(out, 'manifest.json'), 'utf8')) as {
    version: { number: number };
    items: { path: string; label: string | null; sha256: string }[];
  };
  expect(manifest.version.number).toBe(1);
  expect(manifest.items).toHaveLength(itemCount);
  // One folder per digit, each file in its label's folder holding the original bytes.
  const classes = (await fs.readdir(out, { withFileTypes: true })).filter((e) => e.isDirectory());
  expect(classes.map((c) => c.name).sort()).toEqual(
    [...new Set(manifest.items.map((i) => i.label))].sort(),
  );
  for (const item of manifest.items.slice(0, 20)) {
    expect(item.path.split('/')[0]).toBe(item.label);
    const bytes = await fs.readFile(path.join(out, item.path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(item.sha256);
  }
});
