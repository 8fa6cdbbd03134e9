import { promises as fs, symlinkSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { expect, test } from './studio';

// A folder as it comes off a real disk: good images next to every kind of bad file the importer
// must report calmly. Symbolic links and unreadable files cannot travel through a browser upload,
// so the second test imports by path with the CLI and checks the same report in the UI.

async function png(seed: number, channels: 3 | 4 = 3): Promise<Buffer> {
  const pixels = Buffer.alloc(16 * 16 * channels);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 31 + seed * 97) % 256;
  return sharp(pixels, { raw: { width: 16, height: 16, channels } })
    .png()
    .toBuffer();
}

async function put(root: string, relativePath: string, bytes: Uint8Array | string) {
  const file = path.join(root, relativePath);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, bytes);
}

async function folderOfBadFiles(workDir: string): Promise<string> {
  const root = path.join(workDir, 'messy');
  for (let i = 0; i < 4; i++) await put(root, `cats/cat-${i}.png`, await png(i));
  await put(root, 'dogs/icon.png', await png(9, 4));
  await put(root, 'dogs/🐕 perro ß.png', await png(10));
  const good = await png(11);
  await put(root, 'dogs/truncated.png', good.subarray(0, good.length - 30));
  await put(root, 'dogs/empty.png', '');
  await put(root, 'dogs/really-a-png.jpg', await png(12));
  await put(root, 'dogs/notes.txt', 'not a picture');
  // 12000×12000 of one colour: a few KB on disk, 432 MB decoded.
  const bomb = await sharp({
    create: { width: 12000, height: 12000, channels: 3, background: '#000' },
  })
    .png({ compressionLevel: 9 })
    .toBuffer();
  await put(root, 'dogs/bomb.png', bomb);
  await put(
    root,
    `dogs/${Array.from({ length: 12 }, (_, i) => `level${i}`).join('/')}/deep.png`,
    await png(13),
  );
  return root;
}

test('a folder of bad files imports the good ones and the report lists each bad one', async ({
  page,
  studio,
}) => {
  const folder = await folderOfBadFiles(studio.workDir);
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();

  await page.getByTestId('import-folder-input').setInputFiles(folder);

  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  // 4 cats, the icon, the Unicode name, the PNG named .jpg and the deep one.
  await expect(report.getByTestId('import-imported-count')).toHaveText('8');
  const skipped = report.getByTestId('skipped-file');
  await expect(skipped).toHaveCount(4);
  const reasonOf = (name: string) =>
    skipped.filter({ hasText: name }).getByTestId('skipped-reason');
  await expect(reasonOf('truncated.png')).toContainText(/corrupt or truncated png/);
  await expect(reasonOf('empty.png')).toHaveText('empty file (0 bytes)');
  await expect(reasonOf('notes.txt')).toContainText(/not an image/);
  await expect(reasonOf('bomb.png')).toContainText(/too large to decode safely/);

  const note = page.getByTestId('import-note');
  await expect(note).toHaveCount(1);
  await expect(note).toContainText('really-a-png.jpg');
  await expect(note).toContainText('a PNG image named .jpg; imported as PNG');
});

test('a folder imported by path reports links it did not follow, shown in the UI', async ({
  page,
  studio,
}) => {
  const root = path.join(studio.workDir, 'linked');
  await put(root, 'a/one.png', await png(1));
  await put(root, 'a/two.png', await png(2));
  symlinkSync(root, path.join(root, 'a', 'loop'));
  const result = await studio.cli(['import', root, '--json']);
  expect(result.code, result.stderr).toBe(0);
  const { datasetId, importedCount } = JSON.parse(result.stdout) as {
    datasetId: number;
    importedCount: number;
  };
  expect(importedCount).toBe(2);

  await page.goto(`${studio.url}#/datasets/${datasetId}`);
  const skipped = page.getByTestId('dataset-skipped').getByTestId('skipped-file');
  await expect(skipped).toHaveCount(1);
  await expect(skipped).toContainText('loop');
  await expect(skipped).toContainText('symbolic link, not followed');

  // The same folder again is the same dataset, not a copy.
  const again = await studio.cli(['import', root, '--json']);
  expect(JSON.parse(again.stdout)).toMatchObject({ datasetId, alreadyImported: true });
});

test('the cancel button stops an import the core is running, and nothing is added', async ({
  page,
  studio,
}) => {
  const root = path.join(studio.workDir, 'big');
  // Enough files that the core is still importing when the button is pressed.
  for (let i = 0; i < 1500; i++) await put(root, `c${i % 3}/${i}.png`, await png(i));
  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await expect(page.getByTestId('datasets-empty')).toBeVisible();

  await page.getByTestId('import-folder-input').setInputFiles(root);
  const progress = page.getByTestId('import-progress');
  await expect(progress).toContainText(/Importing/, { timeout: 120_000 });
  await page.getByTestId('import-cancel').click();

  await expect(progress).toBeHidden();
  await expect(page.getByTestId('import-report')).toBeHidden();
  await expect(page.getByText('Import failed')).toBeHidden();
  await page.reload();
  await expect(page.getByTestId('datasets-empty')).toBeVisible();
});
