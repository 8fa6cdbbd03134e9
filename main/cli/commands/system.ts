import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { BackendReport } from '../../../preload/contract';
import { writeSampleGrid } from '../../export/sampleGrid';
import { startServer } from '../../server/httpServer';
import {
  addServeOptions,
  isServeUsageError,
  serverOptionsFrom,
  type ServeFlags,
} from '../../server/serveOptions';
import {
  call,
  callInBackground,
  CliFailure,
  openCore,
  positiveInt,
  print,
  withCore,
  type CliContext,
} from '../context';
import { EXIT } from '../exitCodes';
import { importCommand } from './datasets';
import { describeRun, runExitCode, trainRun } from './runs';
import { latestSampleIds } from './samples';

// The studio as a whole: which backend it runs on, the headless server, and the demo.

const DEMO_STEPS = 2000;

/** " (2 threads, fused multiply-add)": what the active backend says about itself, if anything. */
function activeDetails(report: BackendReport): string {
  const details = [
    ...(report.threads ? [`${report.threads} threads`] : []),
    ...(report.fusedMultiplyAdd === undefined
      ? []
      : [report.fusedMultiplyAdd ? 'fused multiply-add' : 'multiply, then add']),
  ];
  return details.length > 0 ? ` (${details.join(', ')})` : '';
}

export function registerDoctor(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('show which ML backend runs, and why the faster ones do not')
    .option('--json', 'print as JSON')
    .action((opts: { json?: boolean }) =>
      withCore(ctx, async (core) => {
        const report = await call(core, 'ml:backend', {});
        print(Boolean(opts.json), report, () =>
          [
            `Active backend: ${report.active}${activeDetails(report)}`,
            ...report.candidates.map(
              (c) =>
                `  ${c.available ? '✓' : '✗'} ${c.name.padEnd(15)} ${c.packageName}${c.reason ? `: ${c.reason}` : ''}`,
            ),
            report.advice,
          ].join('\n'),
        );
      }),
    );
}

export function registerServe(program: Command, ctx: CliContext): void {
  addServeOptions(
    program.command('serve').description('run the studio headless and open it in a browser'),
  ).action((opts: ServeFlags) => serveCommand(ctx, opts));
}

export function registerDemo(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description(
      'import the bundled sample digits into a fresh data dir, train, and write a sample grid',
    )
    // More steps than the preset's 600: the digits become legible, and it still takes well
    // under a minute on two cores.
    .option('--steps <n>', 'training steps', positiveInt, DEMO_STEPS)
    .option('--model <preset>', 'model preset', 'vae-small')
    .action((opts: { steps: number; model: string }) => demoCommand(ctx, opts));
}

async function serveCommand(ctx: CliContext, opts: ServeFlags): Promise<void> {
  const usage = (err: Error): CliFailure =>
    new CliFailure({ code: 'invalid-input', message: err.message }, EXIT.usage);
  const { rendererDir } = ctx.paths;
  let serverOptions;
  try {
    serverOptions = serverOptionsFrom(opts, rendererDir);
  } catch (err) {
    throw isServeUsageError(err) ? usage(err) : err;
  }
  const core = openCore(ctx, ctx.globals(), 'server');
  const server = await startServer(core, serverOptions).catch(async (err: unknown) => {
    await core.close();
    if (isServeUsageError(err)) throw usage(err);
    throw new CliFailure(
      {
        code: 'io',
        message: `Cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`,
      },
      EXIT.failed,
    );
  });
  if (server.warning) process.stderr.write(`\n${server.warning}\n\n`);
  // A second `studio` on this folder is refused with this address instead of a bare pid, and the
  // CLI's import goes through this server with the token it reads from a file only this user can.
  const tokenFile = path.join(core.dataDir, 'server.token');
  await fs.writeFile(tokenFile, `${server.token}\n`, { mode: 0o600 });
  core.lock.advertise({ port: Number(new URL(server.url).port), url: server.url, tokenFile });
  print(
    Boolean(opts.json),
    { url: server.tokenUrl, token: server.token, dataDir: core.dataDir },
    () =>
      `Generative Studio is running at ${server.tokenUrl}\n(open that link: it carries the token)\nData: ${core.dataDir}\nPress Ctrl-C to stop.`,
  );
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    process.stderr.write('Warning: the pages are not built; run `npm run build` first.\n');
  }
  // Starts the ML worker now, so the first page that asks finds it ready.
  callInBackground(core, 'ml:backend', {});
  await new Promise<void>((resolve) => {
    const shutdown = (): void => resolve();
    process.once('SIGINT', shutdown);
    process.once('SIGTERM', shutdown);
  });
  await server.close();
  await fs.rm(tokenFile, { force: true });
  await core.close();
}

async function demoCommand(
  ctx: CliContext,
  opts: { steps?: number; model: string },
): Promise<void> {
  const started = Date.now();
  const options = ctx.globals();
  const dataDir = path.resolve(options.dataDir ?? path.join(process.cwd(), '.studio-data', 'demo'));
  // A fresh data dir each time, so the demo shows exactly what a new user gets.
  await fs.rm(dataDir, { recursive: true, force: true });
  await withCore(
    ctx,
    async (core) => {
      process.stderr.write(`Data dir: ${dataDir}\n`);
      await importCommand(core, ctx.paths.sampleImages, { name: 'sample digits' });
      const dataset = (await call(core, 'datasets:list', {}))[0];
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
      const files = (await latestSampleIds(core, run.id)).map(
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
    },
    { ...options, dataDir },
  );
}
