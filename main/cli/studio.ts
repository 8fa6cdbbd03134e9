import { randomUUID } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type {
  BackendName,
  DatasetKind,
  TextUnit,
  CallArgs,
  CallName,
  CallResult,
  RunSummary,
  StudioError,
} from '../../preload/contract';
import { resolveDataDir } from '../common/dataDir';
import { dispatchCall } from '../core/dispatch';
import { StudioFailure } from '../common/failure';
import { StudioCore } from '../core/studioCore';
import { STUDIO_VERSION } from '../common/version';
import { writeSampleGrid } from '../export/sampleGrid';
import { startServer } from '../server/httpServer';
import { EXIT, exitCodeFor } from './exitCodes';
import { ProgressBar } from './progressBar';
import { auditCommand, type AuditCommandOptions } from './auditCommand';

// The command line over the same core as the desktop app and the server. Every command takes
// --json for scripts (one JSON document on stdout, progress on stderr only) and exits with a code
// from exitCodes.ts.

/** The repository (or installed package) root: this file is bundled to out/main/cli.js. */
const APP_ROOT = path.resolve(__dirname, '..', '..');
const RENDERER_DIR = path.join(APP_ROOT, 'out', 'renderer');
const SAMPLE_IMAGES = path.join(APP_ROOT, 'resources', 'sample-images');
const DEMO_STEPS = 2000;
const BACKENDS: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

class CliFailure extends Error {
  constructor(
    readonly error: StudioError,
    readonly exitCode: number,
  ) {
    super(error.message);
  }
}

interface GlobalOptions {
  dataDir?: string;
  backend?: BackendName;
}

function openCore(options: GlobalOptions): StudioCore {
  return new StudioCore({
    dataDir: resolveDataDir(options.dataDir),
    shell: 'browser',
    preferBackend: options.backend,
    // Resolved here, in the entry bundle: shared code may be split into out/main/chunks/.
    workerPath: path.join(__dirname, 'mlWorker.js'),
  });
}

async function call<K extends CallName>(
  core: StudioCore,
  name: K,
  args: CallArgs<K>,
): Promise<CallResult<K>> {
  const outcome = await dispatchCall(core.handlers, name, args);
  if (!outcome.ok) throw new CliFailure(outcome.error, exitCodeFor(outcome.error.code));
  return outcome.value as CallResult<K>;
}

function print(json: boolean, value: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${human()}\n`);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new CliFailure(
      { code: 'invalid-input', message: `"${value}" is not a positive whole number.` },
      EXIT.usage,
    );
  return n;
}

/** Runs a command body with an open core, closing it whatever happens. */
async function withCore(
  options: GlobalOptions,
  body: (core: StudioCore) => Promise<number | void>,
): Promise<void> {
  const core = openCore(options);
  try {
    process.exitCode = (await body(core)) ?? EXIT.ok;
  } finally {
    await core.close();
  }
}

interface ImportCommandOptions {
  name?: string;
  json?: boolean;
  kind?: DatasetKind;
  textUnit?: TextUnit;
  csvColumn?: string;
  jsonlField?: string;
  labels?: string;
}

async function importCommand(
  core: StudioCore,
  folder: string,
  opts: ImportCommandOptions,
): Promise<number> {
  const bar = new ProgressBar('import', 'files', !opts.json || Boolean(process.stderr.isTTY));
  const importId = randomUUID();
  // Ctrl-C stops the import between two files and removes what it had added.
  const onSigint = (): void => {
    process.stderr.write('\nCancelling the import…\n');
    core.datasets.cancelImport(importId);
  };
  process.once('SIGINT', onSigint);
  const report = await core.datasets
    .importFolder(path.resolve(folder), {
      name: opts.name,
      importId,
      settings: {
        kind: opts.kind,
        textUnit: opts.textUnit,
        csvColumn: opts.csvColumn,
        jsonlField: opts.jsonlField,
        labelsFile: opts.labels === undefined ? undefined : path.resolve(opts.labels),
      },
      onProgress: (p) => {
        if (p.phase === 'importing') bar.update(p.done, p.total, `${p.skipped} skipped`);
      },
    })
    .catch((err: unknown) => {
      bar.end();
      if (err instanceof StudioFailure && err.code === 'cancelled') {
        throw new CliFailure({ code: err.code, message: err.message }, EXIT.interrupted);
      }
      throw err;
    })
    .finally(() => process.off('SIGINT', onSigint));
  const result = {
    datasetId: report.dataset.id,
    name: report.dataset.name,
    kind: report.dataset.kind,
    versionId: report.dataset.latestVersionId,
    importedCount: report.importedCount,
    alreadyImported: report.alreadyImported,
    classes: Object.fromEntries(
      report.dataset.classes.map((c) => [c.label ?? '(unlabeled)', c.count]),
    ),
    skipped: report.skipped,
    notes: report.notes,
    filesSeen: report.filesSeen,
    durationMs: report.durationMs,
  };
  const items = report.dataset.kind === 'image' ? 'images' : 'text items';
  print(Boolean(opts.json), result, () =>
    [
      report.alreadyImported
        ? `Already imported: dataset ${report.dataset.id} "${report.dataset.name}" has this folder as it is now (${report.importedCount} ${items}); nothing was added.`
        : `Imported ${report.importedCount} ${items} into dataset ${report.dataset.id} "${report.dataset.name}".`,
      ...report.dataset.classes.map((c) => `  ${c.label ?? '(unlabeled)'}: ${c.count}`),
      report.skipped.length ? `Skipped ${report.skipped.length} files:` : 'No files skipped.',
      ...report.skipped.map((s) => `  ${s.sourcePath}: ${s.reason}`),
      ...(report.notes.length ? [`Imported with a note (${report.notes.length}):`] : []),
      ...report.notes.map((s) => `  ${s.sourcePath}: ${s.reason}`),
    ].join('\n'),
  );
  return EXIT.ok;
}

async function trainRun(
  core: StudioCore,
  args: CallArgs<'runs:start'>,
  json: boolean,
): Promise<RunSummary> {
  const backend = await core.backend();
  if (!json) process.stderr.write(`Training on the ${backend.active} backend.\n`);
  return followRun(core, await call(core, 'runs:start', args), json);
}

/** Shows a started (or resumed) run's progress until it ends; Ctrl-C stops it cleanly. */
async function followRun(
  core: StudioCore,
  started: RunSummary,
  json: boolean,
): Promise<RunSummary> {
  const bar = new ProgressBar(`run ${started.id}`, 'steps', !json || Boolean(process.stderr.isTTY));
  const off = core.events.on('runs:progress', (p) => {
    if (p.runId !== started.id) return;
    const loss = p.metrics.loss ?? p.metrics.gLoss;
    bar.update(p.step, p.totalSteps, loss === undefined ? '' : `loss ${loss.toFixed(2)}`);
  });
  const onSigint = (): void => {
    process.stderr.write('\nStopping after the current step…\n');
    void core.runs.stop(started.id);
  };
  process.once('SIGINT', onSigint);
  try {
    return await core.runs.waitFor(started.id);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    bar.end();
  }
}

function runExitCode(run: RunSummary): number {
  if (run.status === 'completed') return EXIT.ok;
  if (run.status === 'stopped') return EXIT.interrupted;
  return EXIT.failed;
}

function describeRun(r: RunSummary): string {
  const loss = r.lastLoss === null ? '' : ` loss ${r.lastLoss.toFixed(3)}`;
  return `run ${r.id}  ${r.status.padEnd(11)} ${r.presetId.padEnd(10)} step ${r.step}/${r.totalSteps}  dataset ${r.datasetId} "${r.datasetName}"  ${r.backend ?? '-'}${loss}  ${r.sampleCount} samples${r.message ? `  (${r.message})` : ''}`;
}

/** The samples of a run's last sampling point: the ones a person wants first. */
function latestSampleIds(core: StudioCore, runId: number): number[] {
  const samples = core.samples(runId);
  const lastStep = Math.max(...samples.map((s) => s.step));
  return samples.filter((s) => s.step === lastStep).map((s) => s.id);
}

export function buildProgram(): Command {
  const program = new Command('studio')
    .description(
      'Generative Studio: curate a dataset, train a small generative model, keep what it makes.',
    )
    .version(STUDIO_VERSION)
    .option(
      '--data-dir <dir>',
      'where the studio keeps its data (default: $STUDIO_DATA_DIR or ~/.generative-studio)',
    )
    .addOption(
      new Option('--backend <name>', 'prefer this ML backend when it is available').choices(
        BACKENDS,
      ),
    )
    .showHelpAfterError()
    .exitOverride();

  const globals = (): GlobalOptions => program.opts<GlobalOptions>();

  program
    .command('import')
    .description(
      'import a folder of images or text as a new dataset (each sub-folder is a class); ' +
        'the same folder again, unchanged, returns the dataset it made before',
    )
    .argument('<folder>', 'the folder to import')
    .option('--name <name>', 'dataset name (default: the folder name)')
    .addOption(
      new Option('--kind <kind>', 'image or text (default: what most files are)').choices([
        'image',
        'text',
      ]),
    )
    .addOption(
      new Option('--text-unit <unit>', 'text: one item per file, line or paragraph')
        .choices(['file', 'line', 'paragraph'])
        .default(undefined, 'file'),
    )
    .option('--csv-column <column>', 'CSV files: the text column (header name or 1-based number)')
    .option('--jsonl-field <field>', 'JSONL files: the text field (default: text)')
    .option('--labels <csv>', 'a CSV of path,label rows instead of sub-folder classes')
    .option('--json', 'print the result as JSON')
    .action((folder: string, opts: ImportCommandOptions) =>
      withCore(globals(), (core) => importCommand(core, folder, opts)),
    );

  program
    .command('train')
    .description('train a model on a dataset, with a progress bar; Ctrl-C stops it cleanly')
    .requiredOption('--dataset <id>', 'dataset id (see `studio import`)', positiveInt)
    .requiredOption('--model <preset>', 'model preset, e.g. vae-small (see `studio presets`)')
    .option('--steps <n>', "training steps (default: the preset's)", positiveInt)
    .option('--json', 'print the finished run as JSON')
    .action((opts: { dataset: number; model: string; steps?: number; json?: boolean }) =>
      withCore(globals(), async (core) => {
        const run = await trainRun(
          core,
          {
            datasetId: opts.dataset,
            presetId: opts.model,
            ...(opts.steps ? { steps: opts.steps } : {}),
          },
          Boolean(opts.json),
        );
        print(Boolean(opts.json), run, () => describeRun(run));
        return runExitCode(run);
      }),
    );

  program
    .command('audit')
    .description(
      'audit a dataset (or import a folder and audit it): duplicates, corrupt and blank items, ' +
        'outliers, imbalance, missing labels, likely label errors, leakage',
    )
    .argument('<dataset>', 'a dataset id, or a folder to import first')
    .option('--version-id <id>', "audit this version (default: the dataset's newest)", positiveInt)
    .option('--name <name>', 'dataset name when importing a folder')
    .option('--json', 'print every finding as JSON')
    .option('--csv', 'print every finding as CSV (one row per item)')
    .action((target: string, opts: AuditCommandOptions) =>
      withCore(globals(), (core) => auditCommand(core, target, opts)),
    );

  program
    .command('resume')
    .description('continue a stopped or interrupted run from its newest checkpoint')
    .requiredOption('--run <id>', 'the run to continue', positiveInt)
    .option(
      '--steps <n>',
      "train up to this many steps in all (default: the run's total)",
      positiveInt,
    )
    .option('--json', 'print the finished run as JSON')
    .action((opts: { run: number; steps?: number; json?: boolean }) =>
      withCore(globals(), async (core) => {
        const resumed = await call(core, 'runs:resume', {
          runId: opts.run,
          ...(opts.steps ? { steps: opts.steps } : {}),
        });
        const run = await followRun(core, resumed, Boolean(opts.json));
        print(Boolean(opts.json), run, () => describeRun(run));
        return runExitCode(run);
      }),
    );

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
    .action(
      (opts: {
        run: number;
        count?: number;
        interpolate?: boolean;
        prompt?: string;
        maxLength?: number;
        temperature?: number;
        topK?: number;
        topP?: number;
        json?: boolean;
      }) =>
        withCore(globals(), async (core) => {
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

  program
    .command('presets')
    .description('list the model presets')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      withCore(globals(), async (core) => {
        const presets = await call(core, 'models:presets', {});
        print(Boolean(opts.json), presets, () =>
          presets.map((p) => `${p.id.padEnd(12)} ${p.label}: ${p.description}`).join('\n'),
        );
      }),
    );

  program
    .command('runs')
    .description('list training runs, newest first')
    .option('--dataset <id>', 'only runs of this dataset', positiveInt)
    .option('--json', 'print as JSON')
    .action((opts: { dataset?: number; json?: boolean }) =>
      withCore(globals(), async (core) => {
        const runs = await call(core, 'runs:list', opts.dataset ? { datasetId: opts.dataset } : {});
        print(Boolean(opts.json), runs, () =>
          runs.length ? runs.map(describeRun).join('\n') : 'No runs yet.',
        );
      }),
    );

  program
    .command('export')
    .description('export samples of a run as PNG files in a folder and one ZIP beside it')
    .requiredOption('--run <id>', 'the run whose samples to export', positiveInt)
    .option('--samples <ids>', "comma-separated sample ids (default: the run's latest samples)")
    .option('--all', 'every sample of the run, from every step')
    .option('--out <folder>', "target folder (default: a new folder under the data dir's exports/)")
    .option('--json', 'print the result as JSON')
    .action(
      (opts: { run: number; samples?: string; all?: boolean; out?: string; json?: boolean }) =>
        withCore(globals(), async (core) => {
          const run = await call(core, 'runs:get', { runId: opts.run });
          let sampleIds: number[];
          if (opts.samples) sampleIds = opts.samples.split(',').map((s) => positiveInt(s.trim()));
          else if (opts.all) sampleIds = core.samples(run.id).map((s) => s.id);
          else sampleIds = latestSampleIds(core, run.id);
          if (sampleIds.length === 0) {
            throw new CliFailure(
              { code: 'not-found', message: `Run ${run.id} has no samples yet.` },
              EXIT.notFound,
            );
          }
          const result = await call(core, 'samples:export', {
            sampleIds,
            ...(opts.out ? { folder: opts.out } : {}),
          });
          print(
            Boolean(opts.json),
            result,
            () =>
              `Wrote ${result.files.length} PNG files to ${result.folder}\nand ${result.zipPath}`,
          );
        }),
    );

  program
    .command('doctor')
    .description('show which ML backend runs, and why the faster ones do not')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      withCore(globals(), async (core) => {
        const report = await call(core, 'ml:backend', {});
        print(Boolean(opts.json), report, () =>
          [
            `Active backend: ${report.active}${report.threads ? ` (${report.threads} threads)` : ''}`,
            ...report.candidates.map(
              (c) =>
                `  ${c.available ? '✓' : '✗'} ${c.name.padEnd(15)} ${c.packageName}${c.reason ? `: ${c.reason}` : ''}`,
            ),
            report.advice,
          ].join('\n'),
        );
      }),
    );

  program
    .command('serve')
    .description('run the studio headless and open it in a browser')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '5899')
    .option(
      '--host <host>',
      'address to listen on; keep 127.0.0.1 unless you know why',
      '127.0.0.1',
    )
    .option('--json', 'print the URL as JSON')
    .action((opts: { port: string; host: string; json?: boolean }) =>
      serveCommand(globals(), opts),
    );

  program
    .command('demo')
    .description(
      'import the bundled sample digits into a fresh data dir, train, and write a sample grid',
    )
    // More steps than the preset's 600: the digits become legible, and it still takes well
    // under a minute on two cores.
    .option('--steps <n>', 'training steps', positiveInt, DEMO_STEPS)
    .option('--model <preset>', 'model preset', 'vae-small')
    .action((opts: { steps: number; model: string }) => demoCommand(globals(), opts));

  return program;
}

async function serveCommand(
  options: GlobalOptions,
  opts: { port: string; host: string; json?: boolean },
): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new CliFailure(
      { code: 'invalid-input', message: `"${opts.port}" is not a port number.` },
      EXIT.usage,
    );
  }
  const core = openCore(options);
  const server = await startServer(core, {
    host: opts.host,
    port,
    rendererDir: RENDERER_DIR,
  }).catch(async (err: unknown) => {
    await core.close();
    throw new CliFailure(
      { code: 'io', message: `Cannot listen on ${opts.host}:${port}: ${(err as Error).message}` },
      EXIT.failed,
    );
  });
  print(
    Boolean(opts.json),
    { url: server.url, dataDir: core.dataDir },
    () =>
      `Generative Studio is running at ${server.url}\nData: ${core.dataDir}\nPress Ctrl-C to stop.`,
  );
  if (!existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    process.stderr.write('Warning: the pages are not built; run `npm run build` first.\n');
  }
  void core.backend();
  await new Promise<void>((resolve) => {
    const shutdown = (): void => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await server.close();
  await core.close();
}

async function demoCommand(
  options: GlobalOptions,
  opts: { steps?: number; model: string },
): Promise<void> {
  const started = Date.now();
  const dataDir = path.resolve(options.dataDir ?? path.join(process.cwd(), '.studio-data', 'demo'));
  // A fresh data dir each time, so the demo shows exactly what a new user gets.
  await fs.rm(dataDir, { recursive: true, force: true });
  await withCore({ ...options, dataDir }, async (core) => {
    process.stderr.write(`Data dir: ${dataDir}\n`);
    await importCommand(core, SAMPLE_IMAGES, { name: 'sample digits' });
    const dataset = core.datasets.list()[0];
    if (!dataset)
      throw new CliFailure(
        { code: 'internal', message: 'The sample import made no dataset.' },
        EXIT.failed,
      );
    const run = await trainRun(
      core,
      { datasetId: dataset.id, presetId: opts.model, steps: opts.steps },
      false,
    );
    process.stdout.write(`${describeRun(run)}\n`);
    if (run.status !== 'completed') return runExitCode(run);
    const files = latestSampleIds(core, run.id).map(
      (id) => core.mediaPath('sample', String(id)) as string,
    );
    const grid = await writeSampleGrid(
      files,
      path.join(dataDir, 'runs', String(run.id), 'sample-grid.png'),
    );
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      [
        `Sample grid: ${grid}`,
        `Demo finished in ${seconds} s.`,
        'Open the studio on this data:',
        `  npm run serve -- --data-dir ${dataDir}     (then open the printed URL)`,
        `  STUDIO_DATA_DIR=${dataDir} npm start       (desktop app)`,
      ].join('\n') + '\n',
    );
    return EXIT.ok;
  });
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here with code 0; usage mistakes get the usage code.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (err instanceof CliFailure) {
      process.stderr.write(`studio: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof StudioFailure) {
      process.stderr.write(`studio: ${err.message}\n`);
      return exitCodeFor(err.code);
    }
    process.stderr.write(
      `studio: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    return EXIT.failed;
  }
}

if (require.main === module || process.env.STUDIO_CLI_MAIN === '1') {
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
