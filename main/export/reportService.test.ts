import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDetail } from '../../preload/contract';
import { StudioCore } from '../core/studioCore';
import { verdict } from '../../shared/evaluation/verdict';
import { tempDir } from '../testing/fixtures';
import { reportSteps } from './reportService';

// The run report of a real run: a tiny VAE trained over the real ML worker on an audited
// version, judged at its end, exported through the contract call as the shells make it.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const HOSTILE_NAME = '<script>alert("name")</script>';
const HOSTILE_NOTES = '</p><img src=x onerror=alert(1)> & "quoted"';

let core: StudioCore;
let cleanup: () => Promise<void>;
let workDir: string;
let run: RunDetail;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir('studio-report-');
  cleanup = t.cleanup;
  workDir = t.dir;
  core = new StudioCore({
    dataDir: path.join(t.dir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
    evaluation: { imageSamples: 48, featureNetworkSteps: 20 },
  });
  const imported = await core.datasets.importFolder(path.join(REPO, 'resources', 'sample-images'));
  const { id: datasetId, latestVersionId } = imported.dataset;
  const audit = core.audit.start(datasetId, latestVersionId);
  await core.audit.waitFor(audit.auditId);
  const started = await core.runs.start({ datasetId, presetId: 'conv-vae-tiny', steps: 40 });
  await core.runs.waitFor(started.id);
  await core.handlers['runs:annotate']({
    runId: started.id,
    name: HOSTILE_NAME,
    notes: HOSTILE_NOTES,
  });
  run = core.runs.get(started.id);
}, 300_000);

afterAll(async () => {
  await core?.close();
  await cleanup?.();
});

describe('reportSteps', () => {
  it('puts the latest step first, then up to four earlier steps spread from the first', () => {
    expect(reportSteps([])).toEqual([]);
    expect(reportSteps([20, 0, 40])).toEqual([40, 0, 20]);
    expect(reportSteps([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])).toEqual([100, 0, 30, 60, 90]);
  });
});

describe('exportRunReport', () => {
  it('writes one page with the curves, grids, report card, version audit and config, escaped', async () => {
    expect(run.status).toBe('completed');
    const result = await core.handlers['runs:exportReport']({ runId: run.id });
    expect(result.reportId).toMatch(/^report-run-\d+-/);
    expect(path.dirname(result.path)).toBe(path.join(core.dataDir, 'exports'));
    expect(core.exportDownload(result.reportId)?.file).toBe(result.path);
    const page = await fs.readFile(result.path, 'utf8');

    // Nothing runs and nothing is fetched: a strict policy, no script, only data: images.
    expect(page).toContain(
      `content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"`,
    );
    expect(page).not.toMatch(/<script/i);
    // Our own stylesheet is not escaped (a <style> element would not decode it).
    expect(/<style>([\s\S]*?)<\/style>/.exec(page)?.[1]).toContain("'Segoe UI'");
    expect(page).not.toMatch(/\s(src|href)="(?!data:)/);
    // The person's words are text, never markup.
    expect(page).not.toContain(HOSTILE_NAME);
    expect(page).toContain('&lt;script&gt;alert(&quot;name&quot;)&lt;/script&gt;');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;/p&gt;&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');

    // A curve per metric, loss with its validation points on it.
    const loss = /<svg[^>]*data-metric="loss"[\s\S]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect(loss).toContain('<polyline');
    expect(loss).toContain('data-series="validation"');
    for (const name of Object.keys(run.metricSummary).filter((n) => !n.startsWith('val_'))) {
      expect(page, name).toContain(`data-metric="${name}"`);
    }
    // The latest grid and earlier ones, as PNG data.
    const samples = core.samples(run.id);
    const steps = [...new Set(samples.map((s) => s.step))].sort((a, b) => a - b);
    expect(page).toMatch(new RegExp(`id="grid-latest"\\s+data-step="${steps.at(-1)}"`));
    expect(page).toContain(`id="grid-step-${steps[0]}"`);
    expect(page).toContain('src="data:image/png;base64,iVBORw0KGgo');
    // The same verdict the run view words, and the version's audit summary.
    const evaluation = await core.evaluation.latest(run.id);
    const audit = core.audit.history(run.datasetId).find((v) => v.versionId === run.versionId);
    expect(evaluation).not.toBeNull();
    const sentence = verdict(evaluation!, audit?.summary ?? null)
      .replace(/&/g, '&amp;')
      .replace(/'/g, '&#39;');
    expect(page.replace(/\s+/g, ' ')).toContain(sentence.replace(/\s+/g, ' '));
    expect(page).toMatch(new RegExp(`id="audit-score">\\s*${Math.round(audit!.summary.score!)}`));
    // Config, checkpoints and cost.
    expect(page).toContain('&quot;latentDim&quot;:');
    expect(page).toContain(`step ${run.checkpointStep}`);
    expect(page).toMatch(/ms per sample/);
  });

  it('never writes over a report: a second export is a new file, a used folder is refused', async () => {
    const first = await core.handlers['runs:exportReport']({ runId: run.id });
    const second = await core.handlers['runs:exportReport']({ runId: run.id });
    expect(second.path).not.toBe(first.path);

    const folder = path.join(workDir, 'chosen', 'report');
    const chosen = await core.handlers['runs:exportReport']({ runId: run.id, folder });
    expect(chosen).toEqual({ path: path.join(folder, `run-${run.id}-report.html`), reportId: '' });
    const before = await fs.readFile(chosen.path, 'utf8');
    await expect(
      core.handlers['runs:exportReport']({ runId: run.id, folder }),
    ).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('already exists'),
    });
    expect(await fs.readFile(chosen.path, 'utf8')).toBe(before);
  });

  it('shows a placeholder for a sample file that is gone or not a PNG, and goes on', async () => {
    const samples = core.samples(run.id);
    const lastStep = Math.max(...samples.map((s) => s.step));
    const [gone, broken] = samples.filter((s) => s.step === lastStep);
    await fs.rm(core.mediaPath('sample', String(gone!.id))!);
    await fs.writeFile(core.mediaPath('sample', String(broken!.id))!, 'not a png');
    const result = await core.handlers['runs:exportReport']({ runId: run.id });
    const page = await fs.readFile(result.path, 'utf8');
    // The latest grid runs up to the heading of the earlier ones.
    const start = page.indexOf('id="grid-latest"');
    const latest = page.slice(start, page.indexOf('<h3', start));
    expect(latest.match(/file missing/g)).toHaveLength(2);
    expect(latest).toContain('src="data:image/png;base64,');
  });

  it('says so for a run that does not exist', async () => {
    await expect(core.handlers['runs:exportReport']({ runId: 9999 })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
