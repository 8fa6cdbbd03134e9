// Import fuzz: `npm run build && npm run fuzz:import [-- --seed 1 --count 300 --json --keep]`.
//
// Builds a seeded corpus of hostile files (scripts/fuzz/hostileCorpus.mjs: truncated, lying and
// bombed images of every format, every text encoding, hostile names, deep, looping and too-long
// folders, pipes, files that vanish or grow while the import runs) in a temporary folder, then
// drives the built command line exactly as a person would: `studio import` (images, then texts),
// `studio audit`, and `studio train` of the tiny presets for a few steps. Prints how many files
// it tried, how many were imported, how many were skipped per reason, and the crashes: a non-zero
// exit outside the documented codes, a stack trace on stderr, a message that repeats file
// content, or a command still running after its time limit. Exits 1 when there was a crash.
//
// Plain ESM JavaScript on purpose: it runs with bare Node, without a TypeScript build step.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CANARY_PATTERN,
  buildHostileCorpus,
  startChaos,
  removeCorpus,
} from './fuzz/hostileCorpus.mjs';
import { accountFor, checkDatabase } from './fuzz/fuzzAccounting.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');
/** README.md's exit codes: 0 done, 1 failed, 2 usage/invalid input, 3 not found, 130 Ctrl-C. */
const DOCUMENTED_EXIT_CODES = new Set([0, 1, 2, 3, 130]);
const STACK_TRACE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
/** What a terminal acts on: controls other than newline (ESC sequences) and direction overrides. */
const TERMINAL_CONTROL = /(?!\n)[\p{Cc}\u202a-\u202e\u2066-\u2069]/u;
const TIME_LIMIT_MS = { import: 180_000, audit: 300_000, train: 300_000, presets: 30_000 };

function parseArgs(argv) {
  const args = { seed: 1, count: 300, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') args.seed = Number(argv[++i]);
    else if (argv[i] === '--count') args.count = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--keep') args.keep = true;
    else throw new Error(`Unknown argument ${argv[i]} (use --seed N, --count N, --json, --keep)`);
  }
  if (!Number.isInteger(args.seed)) throw new Error('--seed must be a whole number');
  if (!Number.isInteger(args.count) || args.count < 1)
    throw new Error('--count must be at least 1');
  return args;
}

/** Runs `studio …` with a time limit; a command still running then is killed and is a hang. */
function studio(dataDir, command, args, limitMs) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [STUDIO_BIN, '--data-dir', dataDir, command, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, STUDIO_WASM_THREADS: '1' },
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    let hung = false;
    const timer = setTimeout(() => {
      hung = true;
      child.kill('SIGKILL');
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        command: `studio ${command} ${args.join(' ')}`,
        code,
        signal,
        hung,
        ms: Date.now() - started,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Why a finished command counts as a crash, or null. */
function crashOf(result) {
  if (result.hung)
    return `still running after ${TIME_LIMIT_MS[result.command.split(' ')[1]] / 1000} s (killed)`;
  if (result.signal) return `killed by ${result.signal}`;
  if (!DOCUMENTED_EXIT_CODES.has(result.code))
    return `exit code ${result.code}, not a documented one`;
  if (STACK_TRACE.test(result.stderr)) return 'a stack trace on stderr';
  if (CANARY_PATTERN.test(result.stderr)) return 'stderr repeats file content';
  // The CLI's wording for an error no code path expected (main/cli/studio.ts, common/failure.ts).
  if (/Something went wrong inside the studio/.test(result.stderr)) return 'an internal error';
  return null;
}

function parseJson(result) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    return null;
  }
}

/** Reasons with their numbers and paths taken out, so the same cause groups together. */
function reasonGroup(reason) {
  return reason.replace(/\/\S+/g, '<path>').replace(/\d+(\.\d+)?/g, 'N');
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('The studio is not built: run `npm run build` first.');
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'studio-fuzz-'));
  const corpusRoot = path.join(tmp, 'corpus');
  const dataDir = path.join(tmp, 'data');
  const log = (line) => process.stderr.write(`${line}\n`);
  const crashes = [];
  /** Broken promises that are not crashes: content in a message, a lost file, a bad database. */
  const defects = [];
  const failures = [];
  const steps = [];
  const record = (result, expectOk = true) => {
    const crash = crashOf(result);
    steps.push({ command: result.command, code: result.code, ms: result.ms, crash });
    if (crash) crashes.push({ command: result.command, crash, stderr: result.stderr.slice(-2000) });
    else if (expectOk && result.code !== 0)
      failures.push({
        command: result.command,
        code: result.code,
        stderr: result.stderr.slice(-600),
      });
    log(
      `  ${result.command.slice(0, 100)} → exit ${result.code} in ${(result.ms / 1000).toFixed(1)} s${crash ? `  CRASH: ${crash}` : ''}`,
    );
    return result;
  };

  log(`Building the hostile corpus (seed ${args.seed}, ${args.count} entries) in ${corpusRoot}`);
  const manifest = await buildHostileCorpus(corpusRoot, { seed: args.seed, count: args.count });
  const folders = {};
  let chaosActions = 0;
  for (const [folder, kind] of [
    ['images', 'image'],
    ['texts', 'text'],
  ]) {
    log(`Importing ${folder} (--kind ${kind}) while its volatile files change:`);
    const volatile = manifest.volatile.filter((v) =>
      v.absolutePath.startsWith(manifest[folder] + path.sep),
    );
    const chaos = startChaos(volatile, { seed: args.seed });
    const result = record(
      await studio(
        dataDir,
        'import',
        [manifest[folder], '--kind', kind, '--name', `fuzz ${folder}`, '--json'],
        TIME_LIMIT_MS.import,
      ),
    );
    chaosActions += (await chaos.stop()).actions;
    const report = parseJson(result);
    const entries = manifest.entries.filter((e) => e.folder === folder);
    folders[folder] = { kind, report, entries };
    if (!report) continue;
    for (const line of [...report.skipped, ...report.notes]) {
      if (CANARY_PATTERN.test(line.reason))
        defects.push({ where: result.command, defect: 'a reason repeats file content' });
    }
  }

  const require = createRequire(import.meta.url);
  const Database = require('better-sqlite3');
  const db = new Database(path.join(dataDir, 'studio.db'), { readonly: true });
  const summary = {
    tried: 0,
    imported: 0,
    skipped: 0,
    absent: 0,
    items: 0,
    byReason: {},
    unaccounted: [],
    byCase: {},
  };
  for (const [folder, { report, entries }] of Object.entries(folders)) {
    if (!report) continue;
    const itemPaths = db
      .prepare('SELECT source_path FROM items WHERE dataset_id = ?')
      .pluck()
      .all(report.datasetId);
    const account = accountFor(manifest[folder], entries, itemPaths, report.skipped);
    summary.tried += entries.length;
    summary.items += itemPaths.length;
    for (const [i, outcome] of account.outcomes.entries()) {
      const entry = entries[i];
      summary[outcome.status]++;
      const byCase = (summary.byCase[entry.case] ??= {});
      byCase[outcome.status] = (byCase[outcome.status] ?? 0) + 1;
      if (outcome.status === 'skipped') {
        const group = reasonGroup(outcome.reason);
        summary.byReason[group] = (summary.byReason[group] ?? 0) + 1;
      }
      if (outcome.status === 'absent' && !entry.volatile)
        summary.unaccounted.push(`${folder}/${JSON.stringify(entry.relativePath)} (${entry.case})`);
    }
  }
  const consistency = checkDatabase(db, dataDir);
  db.close();
  for (const problem of consistency) defects.push({ where: 'database check', defect: problem });
  for (const lost of summary.unaccounted)
    defects.push({ where: 'accounting', defect: `neither imported nor reported: ${lost}` });

  // What was imported must audit and train like any other dataset.
  const presets =
    parseJson(record(await studio(dataDir, 'presets', ['--json'], TIME_LIMIT_MS.presets))) ?? [];
  for (const [folder, { kind, report }] of Object.entries(folders)) {
    if (!report) continue;
    log(
      `Auditing and training on ${folder} (dataset ${report.datasetId}, ${report.importedCount} items):`,
    );
    record(
      await studio(dataDir, 'audit', [String(report.datasetId), '--json'], TIME_LIMIT_MS.audit),
    );
    // The same two commands as a person sees them: names from disk reach the terminal there.
    for (const human of [
      await studio(dataDir, 'import', [manifest[folder], '--kind', kind], TIME_LIMIT_MS.import),
      await studio(dataDir, 'audit', [String(report.datasetId)], TIME_LIMIT_MS.audit),
    ]) {
      record(human);
      if (TERMINAL_CONTROL.test(human.stdout))
        defects.push({
          where: human.command,
          defect: 'raw control characters from file names on stdout',
        });
    }
    const tiny = presets.filter((p) => p.kind === kind && p.id.endsWith('-tiny')).map((p) => p.id);
    for (const preset of kind === 'image' ? tiny.slice(0, 1) : tiny.slice(-1)) {
      // Training may refuse a dataset with a documented code (too few items); that is no crash.
      record(
        await studio(
          dataDir,
          'train',
          ['--dataset', String(report.datasetId), '--model', preset, '--steps', '5', '--json'],
          TIME_LIMIT_MS.train,
        ),
        false,
      );
    }
  }

  if (args.keep) {
    await fs.writeFile(
      path.join(tmp, 'manifest.json'),
      JSON.stringify(
        { ...manifest, volatile: manifest.volatile.map(({ bytes: _bytes, ...v }) => v) },
        null,
        1,
      ),
    );
  } else {
    await removeCorpus(manifest);
    await fs.rm(tmp, { recursive: true, force: true });
  }
  const result = {
    seed: args.seed,
    count: args.count,
    tried: summary.tried,
    imported: summary.imported,
    skipped: summary.skipped,
    vanished: summary.absent,
    itemsImported: summary.items,
    skippedByReason: Object.fromEntries(
      Object.entries(summary.byReason).sort((a, b) => b[1] - a[1]),
    ),
    notExercised: manifest.notExercised,
    chaosActions,
    steps,
    failures,
    crashes,
    defects,
    byCase: summary.byCase,
    kept: args.keep ? tmp : null,
  };
  if (args.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const lines = [
      `Import fuzz, seed ${args.seed}: tried ${result.tried} files, imported ${result.imported} (${result.itemsImported} items), skipped ${result.skipped}, vanished during the import ${result.vanished}.`,
      'Skipped, by reason:',
      ...Object.entries(result.skippedByReason).map(
        ([reason, n]) => `  ${String(n).padStart(4)}  ${reason.replace(/\n/g, '\\n')}`,
      ),
      ...(result.notExercised.length
        ? ['Not exercised:', ...result.notExercised.map((n) => `  ${n.case}: ${n.why}`)]
        : []),
      `Volatile files changed ${chaosActions} times during the imports.`,
      ...(failures.length
        ? [
            'Commands that failed (documented exit code):',
            ...failures.map(
              (f) =>
                `  ${f.command.slice(0, 80)} → ${f.code}: ${f.stderr.trim().split('\n').pop()}`,
            ),
          ]
        : []),
      `Crashes: ${crashes.length}`,
      ...crashes.map(
        (c) =>
          `  ${c.command.slice(0, 80)}: ${c.crash}\n${c.stderr
            .trim()
            .split('\n')
            .slice(0, 12)
            .map((l) => `      ${l}`)
            .join('\n')}`,
      ),
      `Defects (content in a message, a file neither imported nor reported, an inconsistent database, terminal control characters): ${defects.length}`,
      ...defects.map((d) => `  ${d.where.slice(0, 80)}: ${d.defect}`),
      ...(args.keep ? [`Kept: ${tmp}`] : []),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  process.exitCode = crashes.length + defects.length > 0 ? 1 : 0;
}

main().catch((err) => {
  process.stderr.write(`fuzz:import: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 2;
});
