// `npm run bench:cleaning`: what cleaning bought, on the seeded fixture of
// scripts/cleaning-fixture.mjs (real MNIST digits, 3 items copied 40 times each, 37 exactly
// and 3 nudged, and a starved class of 6). The raw import is audited and cleaned by the
// studio's own one-click fixes (duplicates removed, the starved class rebalanced by
// oversampling), then runs:compareVersions trains one preset with one seed and budget on both
// versions and judges both by one judge (the cleaned version's); the table is what
// `studio compare-versions` prints.
//
//   node scripts/bench-cleaning.mjs [--model conv-vae-small] [--steps 1500] [--seed 1]
//                                   [--fixture-seed 7 | --fixture-seeds 1,2,3]
//                                   [--fixture '{"perClass":30,...}']
//                                   [--samples 256] [--feature-steps 300] [--json]
//
// --fixture, --samples and --feature-steps shrink the fixture and the judge the way
// main/runs/compareVersions.test.ts does, so the test's setting can be tried over many seeds:
// --fixture-seeds runs one comparison per fixture seed and ends with a table of raw → cleaned
// figures per seed and how many seeds moved each the right way.
//
// Needs the built worker (out/main/mlWorker.js).

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { describeVersionComparison } from '../main/cli/commands/compareVersions';
import { StudioCore } from '../main/core/studioCore';
import { importCleanedFixture } from '../main/runs/testing/cleaningFixture';
import type { CleaningFixtureOptions } from './cleaning-fixture.mjs';

const REPO = path.resolve(import.meta.dirname, '..');
const WORKER = path.join(REPO, 'out', 'main', 'mlWorker.js');

function option(args: string[], name: string, fallback: string): string {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? (args[at + 1] as string) : fallback;
}

/** The figures the sweep prints per fixture seed: what the issue says cleaning must move. */
const SWEPT = [
  'near_copy_share',
  'duplicated_item_share',
  'scarce_class_coverage',
  'scarce_class_soft_coverage',
  'scarce_class_share',
] as const;

export async function main(args: string[]): Promise<number> {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build\` first.`);
  const presetId = option(args, 'model', 'conv-vae-small');
  const steps = Number(option(args, 'steps', '1500'));
  const seed = Number(option(args, 'seed', '1'));
  const fixtureSeeds = option(args, 'fixture-seeds', option(args, 'fixture-seed', '7'))
    .split(',')
    .map(Number);
  const fixtureOptions = JSON.parse(option(args, 'fixture', '{}')) as CleaningFixtureOptions;
  const samples = option(args, 'samples', '');
  const featureSteps = option(args, 'feature-steps', '');
  const dir = await mkdtemp(path.join(tmpdir(), 'studio-bench-cleaning-'));
  const core = new StudioCore({
    dataDir: path.join(dir, 'data'),
    shell: 'browser',
    workerPath: WORKER,
    evaluation: {
      ...(samples ? { imageSamples: Number(samples) } : {}),
      ...(featureSteps ? { featureNetworkSteps: Number(featureSteps) } : {}),
    },
  });
  const sweep: { fixtureSeed: number; figures: Record<string, [number | null, number | null]> }[] =
    [];
  try {
    const started = Date.now();
    for (const fixtureSeed of fixtureSeeds) {
      const data = await importCleanedFixture(core, path.join(dir, `digits-${fixtureSeed}`), {
        ...fixtureOptions,
        seed: fixtureSeed,
      });
      const copies = data.fixture.duplicated.map((d) => `${d.file} ×${d.copies.length + 1}`);
      console.log(
        `Fixture (seed ${fixtureSeed}): ${data.fixture.files} digits; duplicated ${copies.join(', ')}; ` +
          `class ${data.fixture.starvedClass} starved to ${data.fixture.starvedCount}.`,
      );
      console.log(`Cleaned by the audit fixes: "${data.note}"`);
      const report = await core.handlers['runs:compareVersions']({
        datasetId: data.datasetId,
        versionIds: [data.raw, data.cleaned],
        presetId,
        steps,
        seed,
      });
      if (args.includes('--json')) console.log(JSON.stringify(report, null, 1));
      else console.log(describeVersionComparison(report));
      for (const v of report.versions) {
        const { startedAt, endedAt } = v.run;
        const seconds =
          startedAt && endedAt ? (Date.parse(endedAt) - Date.parse(startedAt)) / 1000 : NaN;
        console.log(`run ${v.run.id} on version ${v.versionId}: ${seconds.toFixed(0)} s training`);
      }
      const figures = Object.fromEntries(
        report.metrics.map((m) => [m.name, [m.a, m.b] as [number | null, number | null]]),
      );
      sweep.push({ fixtureSeed, figures });
    }
    if (sweep.length > 1) console.log(`\n${sweepTable(sweep)}`);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(
      `\n${cpu}, ${cpus().length} cores, load ${loadavg()[0]?.toFixed(1)}; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
    );
    return 0;
  } finally {
    await core.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Per fixture seed, raw → cleaned for each swept figure, and how often it moved the right way. */
function sweepTable(
  sweep: { fixtureSeed: number; figures: Record<string, [number | null, number | null]> }[],
): string {
  const f = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
  const lines = [`fixture seed  ${SWEPT.map((n) => n.padEnd(26)).join('')}`];
  for (const { fixtureSeed, figures } of sweep) {
    const cells = SWEPT.map((n) => `${f(figures[n]?.[0])} → ${f(figures[n]?.[1])}`.padEnd(26));
    lines.push(`${String(fixtureSeed).padEnd(14)}${cells.join('')}`);
  }
  // The change against its spread over the seeds: an effect of a few spreads is not luck.
  const changes = SWEPT.map((n) =>
    sweep.flatMap(({ figures }) => {
      const [a, b] = figures[n] ?? [null, null];
      return a !== null && b !== null ? [b - a] : [];
    }),
  );
  const right = SWEPT.map((n, i) => {
    const lower = n === 'near_copy_share' || n === 'duplicated_item_share';
    const held = (changes[i] ?? []).filter((d) => (lower ? d < 0 : d > 0)).length;
    return `${held}/${sweep.length} ${lower ? 'down' : 'up'}`.padEnd(26);
  });
  lines.push(`${'direction'.padEnd(14)}${right.join('')}`);
  const spread = changes.map((d) => {
    const mean = d.reduce((s, v) => s + v, 0) / Math.max(d.length, 1);
    const sd = Math.sqrt(d.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(d.length - 1, 1));
    return `${mean >= 0 ? '+' : ''}${mean.toFixed(3)} ± ${sd.toFixed(3)}`.padEnd(26);
  });
  lines.push(`${'change ± sd'.padEnd(14)}${spread.join('')}`);
  return lines.join('\n');
}
