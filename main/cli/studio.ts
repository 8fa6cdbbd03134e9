import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { BackendName } from '../../preload/contract';
import { StudioFailure } from '../common/failure';
import { STUDIO_VERSION } from '../common/version';
import { registerAddToDataset } from './commands/augment';
import { registerAudit } from './commands/audit';
import { registerCompare } from './commands/compare';
import { registerCompareVersions } from './commands/compareVersions';
import { registerImport } from './commands/datasets';
import { registerEvaluate } from './commands/evaluate';
import { registerPresets, registerResume, registerRuns, registerTrain } from './commands/runs';
import { registerExport, registerExportVersion, registerSample } from './commands/samples';
import { registerGc } from './commands/gc';
import { registerDemo, registerDoctor, registerServe } from './commands/system';
import { CliFailure, type CliContext, type GlobalOptions } from './context';
import { EXIT, exitCodeFor } from './exitCodes';

// The command line over the same core as the desktop app and the server, through the same
// contract calls. Every command takes --json for scripts (one JSON document on stdout, progress
// on stderr only) and exits with a code from exitCodes.ts. The commands are in commands/, a file
// per group; this entry (bundled to out/main/cli.js) builds the program from them.

/** The repository (or installed package) root: this file is bundled to out/main/cli.js. */
const APP_ROOT = path.resolve(__dirname, '..', '..');
const BACKENDS: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

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

  const ctx: CliContext = {
    globals: () => program.opts<GlobalOptions>(),
    paths: {
      // Resolved here, in the entry bundle: shared code may be split into out/main/chunks/.
      workerPath: path.join(__dirname, 'mlWorker.js'),
      rendererDir: path.join(APP_ROOT, 'out', 'renderer'),
      sampleImages: path.join(APP_ROOT, 'resources', 'sample-images'),
    },
  };
  // In the order `studio --help` lists them.
  for (const register of [
    registerImport,
    registerTrain,
    registerAudit,
    registerResume,
    registerSample,
    registerPresets,
    registerRuns,
    registerCompare,
    registerCompareVersions,
    registerExport,
    registerExportVersion,
    registerAddToDataset,
    registerEvaluate,
    registerDoctor,
    registerGc,
    registerServe,
    registerDemo,
  ]) {
    register(program, ctx);
  }
  return program;
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
