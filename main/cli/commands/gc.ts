import type { Command } from 'commander';
import type { StudioCore } from '../../core/studioCore';
import { collectGarbage, type GarbageReport } from '../../store/garbageCollector';
import { withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';

// Housekeeping of the data dir. The collector works on the store and the database directly, not
// through a contract call: it is maintenance of this data dir, not something the app's pages do.

export interface GcCommandOptions {
  dryRun?: boolean;
  json?: boolean;
}

/** `studio gc [--dry-run] [--json]`. */
export function registerGc(program: Command, ctx: CliContext): void {
  program
    .command('gc')
    .description(
      'remove stored originals and thumbnails nothing refers to any more (an interrupted ' +
        'import, a deleted dataset) and temporary files a crash left behind',
    )
    .option('--dry-run', 'list what would be removed, remove nothing')
    .option('--json', 'print the report as JSON')
    .action((opts: GcCommandOptions) => withCore(ctx, (core) => gcCommand(core, opts)));
}

export async function gcCommand(core: StudioCore, opts: GcCommandOptions): Promise<number> {
  const report = await collectGarbage(core.db, core.dataDir, { dryRun: Boolean(opts.dryRun) });
  process.stdout.write(
    opts.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeGarbage(report)}\n`,
  );
  return EXIT.ok;
}

export function describeGarbage(report: GarbageReport): string {
  const lines = report.swept.map((f) => `  ${f.path}  ${formatBytes(f.bytes)}`);
  const verb = report.dryRun ? 'Would reclaim' : 'Reclaimed';
  lines.push(
    `${verb} ${report.files} file${report.files === 1 ? '' : 's'}, ${formatBytes(report.bytes)}.`,
  );
  if (report.deferred > 0) {
    const hours = report.graceMs / 3_600_000;
    lines.push(
      `Left for a later gc: ${report.deferred} unreferenced file${report.deferred === 1 ? '' : 's'} ` +
        `younger than ${hours} h (an import may still need them).`,
    );
  }
  return lines.join('\n');
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
