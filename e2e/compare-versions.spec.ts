import path from 'node:path';
import type { Page } from '@playwright/test';
import type { AuditReport } from '../preload/contract';
import { execFileSync } from 'node:child_process';
import { expect, REPO, test, type RunningStudio } from './studio';

// Issue 11, "what cleaning bought", from the version history: a raw import with injected
// duplicates and a starved class, the version its audit's one-click fixes make, and one action
// that trains the same tiny preset on both and shows the one judge's figures side by side.

async function call<T>(page: Page, studio: RunningStudio, name: string, args: object): Promise<T> {
  const response = await page.request.post(
    new URL(`/api/call/${encodeURIComponent(name)}`, studio.url).href,
    { data: args, headers: { authorization: `Bearer ${studio.token}` } },
  );
  const outcome = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
  if (!outcome.ok) throw new Error(`${name}: ${JSON.stringify(outcome.error)}`);
  return outcome.value as T;
}

test('compares training on the raw and the cleaned version side by side', async ({
  page,
  studio,
}) => {
  // Two trainings, each evaluated at its end, then the judge: minutes on a loaded machine.
  test.setTimeout(900_000);
  const folder = path.join(studio.workDir, 'digits');
  // The script runs as a program: Playwright's loader cannot import an ES module file.
  const options = { perClass: 8, starvedCount: 3, duplicatedItems: 2, copiesPerItem: 6 };
  const script = path.join(REPO, 'scripts', 'cleaning-fixture.mjs');
  const fixture = JSON.parse(
    execFileSync(process.execPath, [script, folder, JSON.stringify(options)], {
      encoding: 'utf8',
    }),
  ) as { duplicated: { file: string; copies: string[] }[] };
  const imported = await studio.cli(['import', folder, '--name', 'digits', '--json']);
  expect(imported.code, imported.stderr).toBe(0);
  const datasetId = (JSON.parse(imported.stdout) as { datasetId: number }).datasetId;

  // The raw version's audit, and its duplicate and imbalance findings fixed in one new version.
  const started = await call<{ auditId: number }>(page, studio, 'audit:start', { datasetId });
  await expect
    .poll(
      async () =>
        (await call<AuditReport>(page, studio, 'audit:get', { auditId: started.auditId })).summary
          .status,
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe('completed');
  const report = await call<AuditReport>(page, studio, 'audit:get', { auditId: started.auditId });
  expect(report.summary.counts['exact-duplicate']).toBe(fixture.duplicated.length);
  const findingIds = report.findings
    .filter((f) => ['exact-duplicate', 'near-duplicate', 'class-imbalance'].includes(f.type))
    .map((f) => f.id);
  await call(page, studio, 'audit:applyFix', { auditId: started.auditId, findingIds });

  await page.goto(studio.url);
  await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
  await page.getByTestId('nav-datasets').click();
  await page.locator(`[data-testid="dataset-card"][data-dataset-id="${datasetId}"]`).click();
  await page.getByTestId('tab-history').click();
  await page.getByTestId('compare-training-open').click();
  const panel = page.getByTestId('compare-training');
  await panel.getByTestId('compare-training-preset').selectOption('conv-vae-tiny');
  await panel.getByTestId('compare-training-steps').fill('10');
  await panel.getByTestId('compare-training-seed').fill('3');
  await panel.getByTestId('compare-training-start').click();
  await expect(panel.getByTestId('compare-training-progress')).toBeVisible();

  const result = panel.getByTestId('compare-training-result');
  await expect(result).toBeVisible({ timeout: 840_000 });
  await expect(result).toContainText('conv-vae-tiny, 10 steps, seed 3 on both');
  for (const name of ['near_copy_share', 'duplicated_item_share', 'scarce_class_coverage']) {
    await expect(
      result.locator(`[data-testid="compare-training-row"][data-name="${name}"]`),
    ).toHaveCount(1);
  }
  // A share of the samples carries the judge's sampling noise beside its change.
  await expect(
    result
      .locator('[data-testid="compare-training-row"][data-name="duplicated_item_share"]')
      .getByTestId('compare-training-change'),
  ).toContainText('±');
  // Each row with two different values marks exactly one of them best.
  const rows = result.getByTestId('compare-training-row');
  const count = await rows.count();
  expect(count).toBeGreaterThan(5);
  for (let i = 0; i < count; i++) {
    const values = await rows.nth(i).getByTestId('compare-training-value').allTextContents();
    const marked = values.filter((v) => v.includes('★')).length;
    expect(marked).toBe(values[0] === values[1] ? 0 : 1);
  }
  const findings = result.getByTestId('compare-training-findings');
  await expect(findings.first()).toContainText(`exact-duplicate ${fixture.duplicated.length}`);
  await expect(findings.nth(1)).not.toContainText('exact-duplicate');
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: path.join(test.info().outputDir, 'compare-versions.png') });
});
