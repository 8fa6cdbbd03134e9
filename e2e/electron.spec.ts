import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { REPO, SAMPLE_IMAGES } from './studio';

// The desktop shell, where the Electron binary exists. Electron downloads it on first launch,
// which cannot happen on an offline machine; there the spec is skipped and says why.
// Requiring the `electron` package would try that download, so look for the binary directly.
function electronBinary(): string | null {
  const packageDir = path.join(REPO, 'node_modules', 'electron');
  const pathFile = path.join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

const binary = electronBinary();

test.describe('desktop (Electron; runs only where its binary is installed, which needs internet)', () => {
  test.skip(
    binary === null,
    'skipped: the Electron binary is not installed (it is downloaded on first launch, and this machine is offline)',
  );

  test('imports the sample folder through the same UI', async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'studio-electron-'));
    const app = await electron.launch({
      executablePath: binary as string,
      args: [REPO],
      env: { ...process.env, STUDIO_DATA_DIR: dataDir },
    });
    const page = await app.firstWindow();
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
    await page.getByTestId('import-folder-input').setInputFiles(SAMPLE_IMAGES);
    await expect(page.getByTestId('dataset-item-count')).toHaveText('300');
    await app.close();
  });
});
