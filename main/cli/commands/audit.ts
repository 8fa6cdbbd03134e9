import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { AuditFinding, AuditReport } from '../../../preload/contract';
import { StudioFailure } from '../../common/failure';
import type { StudioCore } from '../../core/studioCore';
import { call, callInBackground, positiveInt, withCore, type CliContext } from '../context';
import { EXIT } from '../exitCodes';
import { printable } from '../printable';
import { ProgressBar } from '../progressBar';

export interface AuditCommandOptions {
  json?: boolean;
  csv?: boolean;
  versionId?: number;
  name?: string;
}

export function registerAudit(program: Command, ctx: CliContext): void {
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
      withCore(ctx, (core) => auditCommand(core, target, opts)),
    );
}

/**
 * `studio audit <dataset id or folder>`: a folder is imported first (or found again when it was
 * imported unchanged). Prints every finding: type, score and the source paths involved, with the
 * suggested label of a label error; `--json` prints one JSON document for scripts.
 */
export async function auditCommand(
  core: StudioCore,
  target: string,
  opts: AuditCommandOptions,
): Promise<number> {
  const quiet = Boolean(opts.json || opts.csv) && !process.stderr.isTTY;
  const datasetId = await resolveDataset(core, target, opts, quiet);
  const started = await call(core, 'audit:start', {
    datasetId,
    ...(opts.versionId ? { versionId: opts.versionId } : {}),
  });
  const bar = new ProgressBar(`audit ${started.auditId}`, 'items', !quiet);
  let phase = '';
  const off = core.events.on('audit:progress', (p) => {
    if (p.auditId !== started.auditId || p.status !== 'running') return;
    if (p.phase !== phase) {
      bar.end();
      phase = p.phase;
    }
    bar.update(p.done, p.total, p.phase);
  });
  const onSigint = (): void => {
    process.stderr.write('\nCancelling the audit…\n');
    callInBackground(core, 'audit:cancel', { auditId: started.auditId });
  };
  process.once('SIGINT', onSigint);
  let summary;
  try {
    // No call waits for an audit: the audit service the audit:* handlers use says when it ends.
    summary = await core.audit.waitFor(started.auditId);
  } finally {
    process.off('SIGINT', onSigint);
    off();
    bar.end();
  }
  if (summary.status === 'cancelled') {
    process.stderr.write(`${summary.message ?? 'The audit was cancelled.'}\n`);
    return EXIT.interrupted;
  }
  if (summary.status !== 'completed') {
    throw new StudioFailure('internal', summary.message ?? `The audit ended as ${summary.status}.`);
  }
  // A completed audit's caveat (a check that could not run) goes to stderr, beside progress.
  if (summary.message !== null) process.stderr.write(`${summary.message}\n`);
  const report = await call(core, 'audit:get', { auditId: summary.auditId });
  if (opts.csv) {
    const csv = await call(core, 'audit:export', { auditId: summary.auditId, format: 'csv' });
    process.stdout.write(csv.text);
  } else if (opts.json) process.stdout.write(`${JSON.stringify(auditJson(report), null, 2)}\n`);
  else process.stdout.write(`${describeReport(report)}\n`);
  return EXIT.ok;
}

async function resolveDataset(
  core: StudioCore,
  target: string,
  opts: AuditCommandOptions,
  quiet: boolean,
): Promise<number> {
  const folder = path.resolve(target);
  if (existsSync(folder) && statSync(folder).isDirectory()) {
    if (!quiet) process.stderr.write(`Importing ${folder}…\n`);
    const report = await call(core, 'datasets:importFolder', {
      path: folder,
      ...(opts.name ? { name: opts.name } : {}),
    });
    if (!quiet) {
      process.stderr.write(
        `Dataset ${report.dataset.id} "${report.dataset.name}": ${report.importedCount} items, ${report.dataset.skippedTotal} files skipped.\n`,
      );
    }
    return report.dataset.id;
  }
  if (/^\d+$/.test(target) && Number(target) > 0) return Number(target);
  throw new StudioFailure(
    'not-found',
    `"${target}" is neither a dataset id nor a folder (see \`studio import\`).`,
  );
}

/** The CLI's JSON: each finding with its items' source paths (and the suggested label). */
export function auditJson(report: AuditReport): Record<string, unknown> {
  const s = report.summary;
  return {
    auditId: s.auditId,
    datasetId: s.datasetId,
    versionId: s.versionId,
    status: s.status,
    score: s.score,
    itemCount: s.itemCount,
    computedCount: s.computedCount,
    durationMs: s.durationMs,
    counts: s.counts,
    affectedItems: s.affectedItems,
    notices: s.notices ?? [],
    findings: report.findings.map((f) => ({
      id: f.id,
      type: f.type,
      detail: f.detail,
      severity: f.severity,
      score: f.score,
      title: f.title,
      action: f.action,
      ...(f.suggestedLabel !== null ? { suggestedLabel: f.suggestedLabel } : {}),
      paths: f.members.map((m) => m.sourcePath),
      items: f.members,
      evidence: f.evidence,
      confidence: f.confidence,
    })),
  };
}

const SHOWN_PER_TYPE = 10;

function describeReport(report: AuditReport): string {
  const s = report.summary;
  const lines = [
    `Audit ${s.auditId} of dataset ${s.datasetId} (version ${s.versionId}): ${s.itemCount} items, quality score ${s.score ?? '-'}/100, ${((s.durationMs ?? 0) / 1000).toFixed(1)} s.`,
  ];
  for (const n of s.notices ?? []) lines.push(`Not checked: ${n.message}`);
  if (report.findings.length === 0) lines.push('Nothing found.');
  const byType = new Map<string, AuditFinding[]>();
  for (const f of report.findings) byType.set(f.type, [...(byType.get(f.type) ?? []), f]);
  for (const [type, findings] of byType) {
    lines.push('', `${type} (${findings.length}):`);
    for (const f of findings.slice(0, SHOWN_PER_TYPE)) {
      lines.push(
        `  [${f.severity}] ${f.score.toFixed(2)}  ${f.title} (${f.confidence.level} confidence)`,
      );
      const acted = f.members.filter((m) => m.role !== 'neighbour');
      if (acted.length > 1 && acted.length <= 6) {
        for (const m of acted) lines.push(`      ${m.role.padEnd(9)} ${m.sourcePath}`);
      }
    }
    if (findings.length > SHOWN_PER_TYPE) {
      lines.push(`  … and ${findings.length - SHOWN_PER_TYPE} more (use --json or --csv for all)`);
    }
  }
  return lines.map(printable).join('\n');
}
