import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { type Command, Option } from 'commander';
import type { CallArgs, DatasetKind, ImportReport, TextUnit } from '../../../preload/contract';
import { describeOwner } from '../../common/dataDirLock';
import type { StudioCore } from '../../core/studioCore';
import { call, callInBackground, CliFailure, print, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { printable } from '../printable';
import { ProgressBar } from '../progressBar';
import { callServer, type ServerOwner } from '../viaServer';

export interface ImportCommandOptions {
  name?: string;
  json?: boolean;
  kind?: DatasetKind;
  textUnit?: TextUnit;
  csvColumn?: string;
  jsonlField?: string;
  labels?: string;
}

/** `studio import <folder>`: a folder of images or text as a new dataset. */
export function registerImport(program: Command, ctx: CliContext): void {
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
      withCore(
        ctx,
        (core) => importCommand(core, folder, opts),
        ctx.globals(),
        (server) => importViaServer(server, folder, opts),
      ),
    );
}

export async function importCommand(
  core: StudioCore,
  folder: string,
  opts: ImportCommandOptions,
): Promise<number> {
  const bar = new ProgressBar('import', 'files', !opts.json || Boolean(process.stderr.isTTY));
  const importId = randomUUID();
  const off = core.events.on('datasets:importProgress', (p) => {
    if (p.importId === importId && p.phase === 'importing') {
      bar.update(p.done, p.total, `${p.skipped} skipped`);
    }
  });
  // Ctrl-C stops the import between two files and removes what it had added.
  const onSigint = (): void => {
    process.stderr.write('\nCancelling the import…\n');
    callInBackground(core, 'datasets:cancelImport', { importId });
  };
  process.once('SIGINT', onSigint);
  const report = await call(core, 'datasets:importFolder', importArgs(folder, opts, importId))
    .catch((err: unknown) => {
      bar.end();
      if (err instanceof CliFailure && err.error.code === 'cancelled') {
        throw new CliFailure(err.error, EXIT.interrupted);
      }
      throw err;
    })
    .finally(() => {
      process.off('SIGINT', onSigint);
      off();
    });
  printImportReport(report, Boolean(opts.json));
  return EXIT.ok;
}

function importArgs(
  folder: string,
  opts: ImportCommandOptions,
  importId: string,
): CallArgs<'datasets:importFolder'> {
  return {
    path: path.resolve(folder),
    name: opts.name,
    importId,
    kind: opts.kind,
    textUnit: opts.textUnit,
    csvColumn: opts.csvColumn,
    jsonlField: opts.jsonlField,
    labelsFile: opts.labels === undefined ? undefined : path.resolve(opts.labels),
  };
}

/** The import through the studio server that owns the data dir (the lock refused a second core). */
async function importViaServer(
  server: ServerOwner,
  folder: string,
  opts: ImportCommandOptions,
): Promise<number> {
  if (!opts.json) process.stderr.write(`Importing through ${describeOwner(server)}.\n`);
  const importId = randomUUID();
  const onSigint = (): void => {
    process.stderr.write('\nCancelling the import…\n');
    void callServer(server, 'datasets:cancelImport', { importId }).catch(() => undefined);
  };
  process.once('SIGINT', onSigint);
  const report = await callServer(
    server,
    'datasets:importFolder',
    importArgs(folder, opts, importId),
  ).finally(() => process.off('SIGINT', onSigint));
  printImportReport(report, Boolean(opts.json));
  return EXIT.ok;
}

function printImportReport(report: ImportReport, json: boolean): void {
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
    skippedTotal: report.dataset.skippedTotal,
    notes: report.notes,
    filesSeen: report.filesSeen,
    durationMs: report.durationMs,
  };
  const items = report.dataset.kind === 'image' ? 'images' : 'text items';
  print(json, result, () =>
    [
      report.alreadyImported
        ? `Already imported: dataset ${report.dataset.id} "${report.dataset.name}" has this folder as it is now (${report.importedCount} ${items}); nothing was added.`
        : `Imported ${report.importedCount} ${items} into dataset ${report.dataset.id} "${report.dataset.name}".`,
      ...report.dataset.classes.map((c) => `  ${c.label ?? '(unlabeled)'}: ${c.count}`),
      report.dataset.skippedTotal
        ? `Skipped ${report.dataset.skippedTotal} files${report.dataset.skippedTotal > report.skipped.length ? ` (the first ${report.skipped.length} listed)` : ''}:`
        : 'No files skipped.',
      ...report.skipped.map((s) => `  ${s.sourcePath}: ${s.reason}`),
      ...(report.notes.length ? [`Imported with a note (${report.notes.length}):`] : []),
      ...report.notes.map((s) => `  ${s.sourcePath}: ${s.reason}`),
    ]
      .map(printable)
      .join('\n'),
  );
}
