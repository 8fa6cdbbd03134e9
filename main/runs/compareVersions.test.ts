import { cpSync, copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeVersionComparison } from '../cli/commands/compareVersions';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';

// What cleaning bought, end to end over the real ML worker: a raw version with exact copies of a
// few images injected, a cleaned version without them, the same tiny preset trained on both with
// the same seed and steps, each judged at its end, and each version's audit findings reported.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const COPIED = ['0/0000.png', '3/0001.png', '7/0002.png', '9/0003.png'];

let core: StudioCore;
let cleanup: () => Promise<void>;
let folder: string;

beforeAll(() => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir('studio-compare-versions-');
  cleanup = t.cleanup;
  core = new StudioCore({
    dataDir: path.join(t.dir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
  });
  folder = path.join(t.dir, 'images');
  cpSync(path.join(REPO, 'resources', 'sample-images'), folder, { recursive: true });
  for (const file of COPIED) {
    copyFileSync(path.join(folder, file), path.join(folder, file.replace('.png', '-copy.png')));
  }
});

afterAll(async () => {
  await core.close();
  await cleanup();
});

async function auditOf(datasetId: number, versionId: number) {
  const started = core.audit.start(datasetId, versionId);
  await core.audit.waitFor(started.auditId);
  return core.audit.get(started.auditId);
}

describe('compareVersions', () => {
  it('trains the same preset, seed and steps on a raw and a cleaned version and reports both', async () => {
    const imported = await core.datasets.importFolder(folder);
    const datasetId = imported.dataset.id;
    const raw = imported.dataset.latestVersionId;

    const rawAudit = await auditOf(datasetId, raw);
    expect(rawAudit.summary.status).toBe('completed');
    const duplicates = rawAudit.findings.filter((f) => f.type === 'exact-duplicate');
    expect(duplicates.length).toBe(COPIED.length);
    // Keep the first member of each group, exclude the copies.
    const copies = duplicates.flatMap((f) =>
      f.members.slice(1).flatMap((m) => (m.itemId === null ? [] : [m.itemId])),
    );
    expect(copies).toHaveLength(COPIED.length);
    const cleaned = core.versions.editItems(datasetId, raw, copies, { action: 'exclude' }).id;
    const cleanedAudit = await auditOf(datasetId, cleaned);
    expect(cleanedAudit.summary.counts['exact-duplicate'] ?? 0).toBe(0);

    const report = await core.handlers['runs:compareVersions']({
      datasetId,
      versionIds: [raw, cleaned],
      presetId: 'conv-vae-tiny',
      steps: 30,
    });
    process.stdout.write(`${describeVersionComparison(report)}\n`);

    const [a, b] = report.versions;
    expect([a.versionId, b.versionId]).toEqual([raw, cleaned]);
    for (const v of report.versions) {
      expect(v.run).toMatchObject({ status: 'completed', step: 30, totalSteps: 30 });
      expect(v.run.versionId).toBe(v.versionId);
    }
    expect(a.run.id).not.toBe(b.run.id);
    expect(a.seed).not.toBeNull();
    expect(b.seed).toBe(a.seed);

    const names = report.metrics.map((m) => m.name);
    expect(names).toContain('eval_near_copy_share');
    expect(names).toContain('eval_coverage');
    for (const m of report.metrics.filter((m) => m.name.startsWith('eval_'))) {
      expect(m.a).not.toBeNull();
      expect(m.b).not.toBeNull();
      expect(m.change).toBeCloseTo((m.b ?? 0) - (m.a ?? 0));
    }

    expect(a.audit?.auditId).toBe(rawAudit.summary.auditId);
    expect(a.audit?.counts['exact-duplicate']).toBe(COPIED.length);
    expect(b.audit?.auditId).toBe(cleanedAudit.summary.auditId);
    expect(b.audit?.counts['exact-duplicate'] ?? 0).toBe(0);
    expect(describeVersionComparison(report)).toContain(`exact-duplicate ${COPIED.length}`);
  }, 600_000);
});
