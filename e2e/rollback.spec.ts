import Database from 'better-sqlite3';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { expect, SAMPLE_IMAGES, test } from './studio';

// Issue 11 in the run view: a run that went past its best checkpoint offers "roll back to best";
// a click continues it from that step, and "End the run there" completes it at that step.
test('a run past its best checkpoint rolls back to it and continues, or ends there', async ({
  page,
  studio,
}) => {
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
  await page.getByTestId('train-steps-input').fill('20');
  await page.getByTestId('train-start').click();
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });
  await expect(page.getByTestId('run-step')).toHaveText('20 / 20');
  const runId = Number(await page.getByTestId('run-panel').getAttribute('data-run-id'));
  // Its best checkpoint is its newest: the run view offers no roll back.
  await expect(page.getByTestId('run-rollback-continue')).toHaveCount(0);

  // A tiny VAE's validation loss only falls over 40 steps, so no seed makes step 20 stay the best
  // on its own; a step-20 figure no later one beats stands in for the run that got worse after it
  // (as main/runs/rollback.test.ts does). The server's connection waits out this short write.
  const db = new Database(path.join(studio.dataDir, 'studio.db'), { timeout: 10_000 });
  try {
    const kept = db
      .prepare('UPDATE run_best_checkpoints SET value = 0 WHERE run_id = ?')
      .run(runId);
    expect(kept.changes).toBe(1);
  } finally {
    db.close();
  }
  // The run view resumes only unfinished runs; more steps for a completed one go through the
  // contract, as a script would, once the worker let go of the run (it judges it on completion).
  await expect
    .poll(
      async () => {
        const response = await page.request.post(
          new URL('/api/call/runs%3Aresume', studio.url).href,
          {
            data: { runId, steps: 40 },
            headers: { authorization: `Bearer ${studio.token}` },
          },
        );
        const outcome = (await response.json()) as { ok: boolean; error?: { code: string } };
        return outcome.ok ? 'resumed' : JSON.stringify(outcome.error);
      },
      { timeout: 120_000, intervals: [1_000] },
    )
    .toBe('resumed');
  await expect(page.getByTestId('run-step')).toHaveText('40 / 40', { timeout: 120_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });

  const alarms = page.getByTestId('run-alarms');
  await expect(alarms.getByTestId('run-best')).toHaveAttribute('data-step', '20');
  await expect(alarms.getByTestId('run-best')).toContainText('Best checkpoint: step 20');
  await expect(alarms.getByTestId('run-rollback-continue')).toBeVisible();
  await alarms.scrollIntoViewIfNeeded();
  await page
    .getByTestId('run-panel')
    .screenshot({ path: path.join(test.info().outputDir, 'rollback.png') });

  await expect(page.getByTestId('report-card')).toHaveAttribute('data-evaluated', 'true', {
    timeout: 120_000,
  });
  await alarms.getByTestId('run-rollback-continue').click();
  // It trains again from step 20: the step falls back to 20 before it reaches 40 once more.
  await expect(page.getByTestId('run-status')).toHaveText(/queued|running/, { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/completed/, { timeout: 120_000 });
  await expect(page.getByTestId('run-step')).toHaveText('40 / 40');

  // A completed run is judged next (its report card); until then the worker holds it and a roll
  // back answers "is training", so the click waits for the judgement.
  await expect(page.getByTestId('report-card')).toHaveAttribute('data-evaluated', 'true', {
    timeout: 120_000,
  });
  await page.getByTestId('run-rollback-end').click();
  await expect(page.getByTestId('run-step')).toHaveText('20 / 20', { timeout: 30_000 });
  await expect(page.getByTestId('run-status')).toHaveText(/completed/);
  await expect(page.getByTestId('run-message')).toContainText('Ended at its best checkpoint');
  // At its best checkpoint there is nothing to roll back to.
  await expect(page.getByTestId('run-rollback-continue')).toHaveCount(0);
});
