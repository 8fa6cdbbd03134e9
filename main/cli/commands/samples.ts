import type { Command } from 'commander';
import type {
  ExportResult,
  ModelExportResult,
  ReportExportResult,
} from '../../../preload/contract';
import type { StudioCore } from '../../core/studioCore';
import { call, CliFailure, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { exportModel, modelExportText } from './modelExport';

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

interface ExportCommandOptions {
  run: number;
  samples?: string;
  starred?: boolean;
  all?: boolean;
  report?: boolean;
  model?: boolean;
  step?: number;
  out?: string;
  json?: boolean;
}

export function registerExport(program: Command, ctx: CliContext): void {
  program
    .command('export')
    .description(
      'export samples of a run as PNG/.txt files with provenance.json, in a folder and one ZIP; ' +
        'and/or its model (--model) and its HTML report (--report)',
    )
    .requiredOption('--run <id>', 'the run whose samples to export', positiveInt)
    .option(
      '--samples <ids>',
      "comma-separated sample ids (default: the run's starred samples, else its latest ones)",
    )
    .option('--starred', 'only the starred samples of the run')
    .option('--all', 'every sample of the run, from every step')
    .option(
      '--report',
      "the run's self-contained HTML report (alone, or beside the samples and model asked for)",
    )
    .option(
      '--model',
      'the trained model as a TensorFlow.js folder (alone, or beside the samples asked for)',
    )
    .option('--step <n>', "with --model: the checkpoint's step (default: the newest)", positiveInt)
    .option(
      '--out <folder>',
      "target folder (default: a new folder under the data dir's exports/); with other " +
        'parts, the model goes to <folder>-model and the report beside the samples',
    )
    .option('--json', 'print the result as JSON (one object per part when several are asked)')
    .action((opts: ExportCommandOptions) =>
      withCore(ctx, async (core) => {
        const run = await call(core, 'runs:get', { runId: opts.run });
        // Each flag names a part; without --model or --report, samples are the export.
        const samplesToo = opts.samples !== undefined || opts.starred === true || opts.all === true;
        const wantsSamples = samplesToo || (!opts.model && !opts.report);
        if (opts.samples !== undefined && (opts.starred || opts.all)) {
          throw new CliFailure(
            {
              code: 'invalid-input',
              message: 'Choose the samples one way: --samples <ids>, --starred or --all.',
            },
            EXIT.usage,
          );
        }
        // The samples are chosen before anything is written: a run without any leaves no model.
        const sampleIds = wantsSamples ? await chosenSampleIds(core, run.id, opts) : [];
        const done: {
          samples?: ExportResult;
          model?: ModelExportResult;
          report?: ReportExportResult;
        } = {};
        const lines: string[] = [];
        if (opts.model) {
          // Beside other parts the model keeps a folder of its own (it must be new or empty).
          const several = wantsSamples || opts.report === true;
          const out = several && opts.out ? `${opts.out}-model` : opts.out;
          done.model = await exportModel(core, { run: run.id, step: opts.step, out });
          lines.push(modelExportText(done.model));
        }
        if (wantsSamples) {
          done.samples = await call(core, 'samples:export', {
            sampleIds,
            ...(opts.out ? { folder: opts.out } : {}),
          });
          lines.push(
            `Wrote ${done.samples.files.length} files (samples and provenance.json) to ` +
              `${done.samples.folder}\nand ${done.samples.zipPath}`,
          );
        }
        if (opts.report) {
          done.report = await call(core, 'runs:exportReport', {
            runId: run.id,
            ...(opts.out ? { folder: opts.out } : {}),
          });
          lines.push(`Wrote the report ${done.report.path}`);
        }
        const parts = Object.values(done);
        // One part prints its own result (as before); several print one object keyed by part.
        print(Boolean(opts.json), parts.length === 1 ? parts[0] : done, () => lines.join('\n'));
      }),
    );
}

/** The samples --samples, --starred or --all name; by default the starred, else the latest. */
async function chosenSampleIds(
  core: StudioCore,
  runId: number,
  opts: ExportCommandOptions,
): Promise<number[]> {
  let sampleIds: number[];
  if (opts.samples) sampleIds = opts.samples.split(',').map((s) => positiveInt(s.trim()));
  else if (opts.all) {
    sampleIds = (await call(core, 'samples:list', { runId })).map((s) => s.id);
  } else {
    // Starred samples are what a person chose to keep: those first.
    sampleIds = await starredSampleIds(core, runId);
    if (sampleIds.length === 0 && !opts.starred) sampleIds = await latestSampleIds(core, runId);
  }
  if (sampleIds.length === 0) {
    const message = opts.starred
      ? `Run ${runId} has no starred samples (star them in the gallery with s).`
      : `Run ${runId} has no samples yet.`;
    throw new CliFailure({ code: 'not-found', message }, EXIT.notFound);
  }
  return sampleIds;
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
