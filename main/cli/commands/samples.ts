import type { Command } from 'commander';
import type { StudioCore } from '../../core/studioCore';
import { call, CliFailure, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { exportModelCommand } from './modelExport';

// The sample commands: draw new samples from a run, and export them.

interface SampleCommandOptions {
  run: number;
  count?: number;
  interpolate?: boolean;
  prompt?: string;
  maxLength?: number;
  temperature?: number;
  topK?: number;
  topP?: number;
  json?: boolean;
}

export function registerSample(program: Command, ctx: CliContext): void {
  program
    .command('sample')
    .description("draw new samples from a run's newest checkpoint (kept in the gallery)")
    .requiredOption('--run <id>', 'the run to sample from', positiveInt)
    .option('--count <n>', 'how many samples', positiveInt)
    .option('--interpolate', 'VAEs: frames between two latent points instead of a grid')
    .option('--prompt <text>', 'text models: the text to continue')
    .option('--max-length <n>', 'text models: characters to generate', positiveInt)
    .option('--temperature <t>', 'text models: 0 is greedy, higher is wilder', Number)
    .option('--top-k <k>', 'text models: keep the k likeliest characters (0 = all)', Number)
    .option('--top-p <p>', 'text models: keep the likeliest characters up to probability p', Number)
    .option('--json', 'print the samples as JSON')
    .action((opts: SampleCommandOptions) =>
      withCore(ctx, async (core) => {
        const samples = await call(core, 'samples:generate', {
          runId: opts.run,
          ...(opts.interpolate ? { mode: 'interpolation' as const } : {}),
          ...(opts.count ? { count: opts.count } : {}),
          ...(opts.prompt !== undefined ? { prompt: opts.prompt } : {}),
          ...(opts.maxLength ? { maxLength: opts.maxLength } : {}),
          ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
          ...(opts.topK !== undefined ? { topK: opts.topK } : {}),
          ...(opts.topP !== undefined ? { topP: opts.topP } : {}),
        });
        print(Boolean(opts.json), samples, () =>
          samples
            .map((s) =>
              s.kind === 'text'
                ? `--- sample ${s.id}\n${s.text ?? ''}`
                : `sample ${s.id}: ${core.mediaPath('sample', String(s.id))}`,
            )
            .join('\n'),
        );
      }),
    );
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description(
      'export samples of a run as PNG/.txt files with provenance.json, in a folder and one ZIP',
    )
    .requiredOption('--run <id>', 'the run whose samples to export', positiveInt)
    .option(
      '--samples <ids>',
      "comma-separated sample ids (default: the run's starred samples, else its latest ones)",
    )
    .option('--starred', 'only the starred samples of the run')
    .option('--all', 'every sample of the run, from every step')
    .option('--report', "write the run's self-contained HTML report instead of its samples")
    .option(
      '--model',
      'the trained model as a TensorFlow.js folder (alone, or beside the samples asked for)',
    )
    .option('--step <n>', "with --model: the checkpoint's step (default: the newest)", positiveInt)
    .option('--out <folder>', "target folder (default: a new folder under the data dir's exports/)")
    .option('--json', 'print the result as JSON')
    .action(
      (opts: {
        run: number;
        samples?: string;
        starred?: boolean;
        all?: boolean;
        report?: boolean;
        model?: boolean;
        step?: number;
        out?: string;
        json?: boolean;
      }) =>
        withCore(ctx, async (core) => {
          if (opts.report) {
            const report = await call(core, 'runs:exportReport', {
              runId: opts.run,
              ...(opts.out ? { folder: opts.out } : {}),
            });
            return print(Boolean(opts.json), report, () => `Wrote the report ${report.path}`);
          }
          const run = await call(core, 'runs:get', { runId: opts.run });
          // --model alone exports the model; with a sample choice, both (the model in <out>-model).
          const samplesToo =
            opts.samples !== undefined || opts.starred === true || opts.all === true;
          if (opts.model) {
            const out = samplesToo && opts.out ? `${opts.out}-model` : opts.out;
            await exportModelCommand(core, { ...opts, out });
            if (!samplesToo) return;
          }
          let sampleIds: number[];
          if (opts.samples) sampleIds = opts.samples.split(',').map((s) => positiveInt(s.trim()));
          else if (opts.all) {
            sampleIds = (await call(core, 'samples:list', { runId: run.id })).map((s) => s.id);
          } else {
            // Starred samples are what a person chose to keep: those first.
            sampleIds = await starredSampleIds(core, run.id);
            if (sampleIds.length === 0 && !opts.starred) {
              sampleIds = await latestSampleIds(core, run.id);
            }
          }
          if (sampleIds.length === 0) {
            const message = opts.starred
              ? `Run ${run.id} has no starred samples (star them in the gallery with s).`
              : `Run ${run.id} has no samples yet.`;
            throw new CliFailure({ code: 'not-found', message }, EXIT.notFound);
          }
          const result = await call(core, 'samples:export', {
            sampleIds,
            ...(opts.out ? { folder: opts.out } : {}),
          });
          print(
            Boolean(opts.json),
            result,
            () =>
              `Wrote ${result.files.length} files (samples and provenance.json) to ` +
              `${result.folder}\nand ${result.zipPath}`,
          );
        }),
    );
}

export function registerExportVersion(program: Command, ctx: CliContext): void {
  program
    .command('export-version')
    .description(
      "write a dataset version's items as class folders (original bytes) with a manifest.json",
    )
    .requiredOption('--dataset <id>', 'the dataset', positiveInt)
    .option('--version <n>', 'the version number (default: the latest)', positiveInt)
    .requiredOption('--out <folder>', 'a new or empty folder to write into')
    .option('--json', 'print the result as JSON')
    .action((opts: { dataset: number; version?: number; out: string; json?: boolean }) =>
      withCore(ctx, async (core) => {
        const result = await call(core, 'datasets:exportVersion', {
          datasetId: opts.dataset,
          ...(opts.version ? { versionNumber: opts.version } : {}),
          folder: opts.out,
        });
        print(
          Boolean(opts.json),
          result,
          () => `Wrote ${result.files} items to ${result.folder}\nManifest: ${result.manifestPath}`,
        );
      }),
    );
}

/** Every starred sample of a run, paged through the gallery's query. */
export async function starredSampleIds(core: StudioCore, runId: number): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ;) {
    const page = await call(core, 'samples:query', {
      runIds: [runId],
      rating: 'starred',
      offset,
      limit: 1000,
    });
    ids.push(...page.samples.map((s) => s.id));
    offset += page.samples.length;
    if (page.samples.length === 0 || offset >= page.total) return ids;
  }
}

/** The samples of a run's last sampling point: the ones a person wants first. */
export async function latestSampleIds(core: StudioCore, runId: number): Promise<number[]> {
  const samples = await call(core, 'samples:list', { runId });
  const lastStep = Math.max(...samples.map((s) => s.step));
  return samples.filter((s) => s.step === lastStep).map((s) => s.id);
}
