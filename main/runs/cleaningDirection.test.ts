import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VersionTrainingComparison } from '../../preload/contract';
import { describeVersionComparison } from '../cli/commands/compareVersions';
import { StudioCore } from '../core/studioCore';
import { tempDir } from '../testing/fixtures';
import { importCleanedFixture } from './testing/cleaningFixture';

// What cleaning bought must show in the figures (issue 11): on the seeded fixture, whose raw
// version holds 3 digits copied 40 times and a class starved to 6 items, the version the
// audit's fixes make (duplicates out, batches class-balanced) must give a model that draws the
// duplicated items less often (the starved class: see the note at the end). The budget is the one
// `npm run bench:cleaning -- --fixture-seeds 1,2,3,4,5,6` with these settings was swept at (the
// README quotes it); the fixture seed here is none of the swept ones.
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');
const DIRECTION_BUDGET = {
  presetId: 'conv-vae-tiny',
  steps: 400,
  seed: 1,
  imageSamples: 512,
  featureNetworkSteps: 200,
  fixture: { perClass: 40 },
} as const;

let core: StudioCore;
let cleanup: () => Promise<void>;
let report: VersionTrainingComparison;

beforeAll(async () => {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const t = tempDir('studio-cleaning-direction-');
  cleanup = t.cleanup;
  core = new StudioCore({
    dataDir: path.join(t.dir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
    evaluation: {
      imageSamples: DIRECTION_BUDGET.imageSamples,
      featureNetworkSteps: DIRECTION_BUDGET.featureNetworkSteps,
    },
  });
  const data = await importCleanedFixture(core, path.join(t.dir, 'digits'), {
    ...DIRECTION_BUDGET.fixture,
    seed: 7,
  });
  report = await core.handlers['runs:compareVersions']({
    datasetId: data.datasetId,
    versionIds: [data.raw, data.cleaned],
    presetId: DIRECTION_BUDGET.presetId,
    steps: DIRECTION_BUDGET.steps,
    seed: DIRECTION_BUDGET.seed,
  });
  process.stdout.write(`${describeVersionComparison(report)}\n`);
}, 600_000);

afterAll(async () => {
  await core?.close();
  await cleanup?.();
});

const figure = (name: string): { raw: number; cleaned: number } => {
  const m = report.metrics.find((x) => x.name === name);
  if (m?.a === null || m?.a === undefined || m.b === null) throw new Error(`no ${name}`);
  return { raw: m.a, cleaned: m.b };
};

describe('what cleaning bought, on the fixture', () => {
  it('draws the duplicated items less often once the duplicates are gone', () => {
    const { raw, cleaned } = figure('duplicated_item_share');
    expect(cleaned).toBeLessThan(raw);
  });

  // Not asserted: the starved class's share of the samples and its soft coverage rose on fixture
  // seeds 1–6 at this budget (and at 600 steps, 1024 samples), but on this test's seed 7 the
  // cleaned model drew no sample the judge calls a 5 (raw: 1 of 512), so that direction holds on
  // 6 of 7 seeds and `npm run bench:cleaning -- --fixture-seeds …` is where it is shown, with
  // its spread. The judge's classifier recognises only about a third of unseen 5s when it has
  // trained on five of them.
});
