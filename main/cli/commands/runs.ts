import type { Command } from 'commander';
import type { CallArgs, RunSummary } from '../../../preload/contract';
import { StudioFailure } from '../../common/failure';
import type { StudioCore } from '../../core/studioCore';
import { call, callInBackground, positiveInt, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { ProgressBar } from '../progressBar';

// The training commands: train, resume, runs and presets.

export function registerTrain(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('train a model on a dataset, with a progress bar; Ctrl-C stops it cleanly')
    .requiredOption('--dataset <id>', 'dataset id (see `studio import`)', positiveInt)
    .requiredOption('--model <preset>', 'model preset, e.g. vae-small (see `studio presets`)')
    .option('--steps <n>', "training steps (default: the preset's)", positiveInt)
    .option('--no-evaluate', 'skip judging the final checkpoint (see `studio evaluate`)')
    .option(
      '--no-synthetic',
      'leave out the items made from generated samples (see `studio add-to-dataset`)',
    )
    .option('--json', 'print the finished run as JSON')
    .action(
      (opts: {
        dataset: number;
        model: string;
        steps?: number;
        evaluate: boolean;
        synthetic: boolean;
        json?: boolean;
      }) =>
        withCore(ctx, async (core) => {
          const run = await trainRun(
            core,
            {
              datasetId: opts.dataset,
              presetId: opts.model,
              ...(opts.steps ? { steps: opts.steps } : {}),
              ...(opts.evaluate ? {} : { evaluateAtEnd: false }),
              ...(opts.synthetic ? {} : { includeSynthetic: false }),
            },
            Boolean(opts.json),
          );
          print(Boolean(opts.json), run, () => describeRun(run));
          return runExitCode(run);
        }),
    );
}

export function registerResume(program: Command, ctx: CliContext): void {
  program
    .command('resume')
    .description('continue a stopped or interrupted run from its newest checkpoint')
    .requiredOption('--run <id>', 'the run to continue', positiveInt)
    .option(
      '--steps <n>',
      "train up to this many steps in all (default: the run's total)",
      positiveInt,
    )
    .option('--from <where>', "'latest' (default) or 'best': the best checkpoint it kept", 'latest')
    .option('--json', 'print the finished run as JSON')
    .action((opts: { run: number; steps?: number; from: string; json?: boolean }) =>
      withCore(ctx, async (core) => {
        if (opts.from !== 'latest' && opts.from !== 'best') {
          throw new StudioFailure(
            'invalid-input',
            `--from is 'latest' or 'best', not '${opts.from}'.`,
          );
        }
        const resumed =
          opts.from === 'best'
            ? await call(core, 'runs:rollback', { runId: opts.run, continue: true })
            : await call(core, 'runs:resume', {
                runId: opts.run,
                ...(opts.steps ? { steps: opts.steps } : {}),
              });
        if (!opts.json) {
          process.stderr.write(`Resuming run ${resumed.id} from ${describeCheckpoint(resumed)}.\n`);
        }
        const run = await followRun(core, resumed, Boolean(opts.json));
        print(Boolean(opts.json), run, () => describeRun(run));
        return runExitCode(run);
      }),
    );
}

export function registerPresets(program: Command, ctx: CliContext): void {
  program
    .command('presets')
    .description('list the model presets')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      withCore(ctx, async (core) => {
        const presets = await call(core, 'models:presets', {});
        print(Boolean(opts.json), presets, () =>
          presets.map((p) => `${p.id.padEnd(12)} ${p.label}: ${p.description}`).join('\n'),
        );
      }),
    );
}

export function registerRuns(program: Command, ctx: CliContext): void {
  program
    .command('runs')
    .description('list training runs, newest first')
    .option('--dataset <id>', 'only runs of this dataset', positiveInt)
    .option('--json', 'print as JSON')
    .action((opts: { dataset?: number; json?: boolean }) =>
      withCore(ctx, async (core) => {
        const runs = await call(core, 'runs:list', opts.dataset ? { datasetId: opts.dataset } : {});
        print(Boolean(opts.json), runs, () =>
          runs.length ? runs.map(describeRun).join('\n') : 'No runs yet.',
        );
      }),
    );
}

/** Starts a run and follows it to its end, saying which backend it trains on. */
export async function trainRun(
  core: StudioCore,
  args: CallArgs<'runs:start'>,
  json: boolean,
): Promise<RunSummary> {
  const backend = await call(core, 'ml:backend', {});
  if (!json) process.stderr.write(`Training on the ${backend.active} backend.\n`);
  const { dataCheck } = await call(core, 'runs:estimate', {
    datasetId: args.datasetId,
    presetId: args.presetId,
    ...(args.includeSynthetic === false ? { includeSynthetic: false } : {}),
  });
  if (dataCheck && !dataCheck.ok) {
    process.stderr.write(`Warning: ${dataCheck.message} (rule of thumb: ${dataCheck.rule})\n`);
  }
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
    callInBackground(core, 'runs:stop', { runId: started.id });
  };
  // Alarms print as they happen, on their own line above the bar.
  const offAlarm = core.events.on('runs:alarm', (alarm) => {
    if (alarm.runId !== started.id || json) return;
    process.stderr.write(`\n⚠ step ${alarm.step} ${alarm.kind}: ${alarm.message}\n`);
  });
  process.once('SIGINT', onSigint);
  try {
    // No call waits for a run: the run service the runs:* handlers use says when it has ended.
    return await core.runs.waitFor(started.id);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    offAlarm();
    bar.end();
  }
}

export function runExitCode(run: RunSummary): number {
  if (run.status === 'completed') return EXIT.ok;
  if (run.status === 'stopped') return EXIT.interrupted;
  return EXIT.failed;
}

export function describeRun(r: RunSummary): string {
  const loss = r.lastLoss === null ? '' : ` loss ${r.lastLoss.toFixed(3)}`;
  return `run ${r.id}  ${r.status.padEnd(11)} ${r.presetId.padEnd(10)} step ${r.step}/${r.totalSteps}  dataset ${r.datasetId} "${r.datasetName}"  ${r.backend ?? '-'}${loss}  ${r.sampleCount} samples  ${describeCheckpoint(r)}${r.message ? `  (${r.message})` : ''}`;
}

/** Where a resume would start: "checkpoint step 500 at 14:02". */
function describeCheckpoint(r: RunSummary): string {
  if (r.checkpointStep === null) return 'no checkpoint';
  const at = r.checkpointAt ? ` at ${new Date(r.checkpointAt).toTimeString().slice(0, 5)}` : '';
  return `checkpoint step ${r.checkpointStep}${at}`;
}
