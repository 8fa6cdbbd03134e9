// `npm run bench:audit`: builds labeled fixtures of real handwritten digits with known injected
// defects (scripts/bench-audit-fixture.mjs), imports and audits each with the built CLI
// (out/main/cli.js, so run `npx electron-vite build` first), and prints precision and recall per
// finding type, the audit's time and its peak memory.
//
//   node scripts/bench-audit.mjs [--sizes 10000] [--real-size 1500] [--noise 0.03] [--seed 42]
//                                [--only digits,no-defects,...] [--work /tmp/dir] [--keep]
//                                [--topics-per-folder 150]
//
// After the digit fixtures it audits the fixtures of bench-audit-fixtures-real.mjs and
// bench-audit-fixtures-more.mjs (`--real-size 0` skips them) and prints, per fixture, what the
// audit found where nothing or only one kind of defect was injected. `--only` runs the named
// fixtures alone: digits (the --sizes ones), no-defects, random-labels, faint-glyphs,
// text-garbage, icon-outliers, digit-near-copies, topic-labels, random-topics.
//
// A benchmark, not a test: it takes minutes, and its numbers are read by a person.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFixture } from './bench-audit-fixture.mjs';
import {
  digitNearCopies,
  iconOutliers,
  iconsAvailable,
  manPagesAvailable,
  topicTexts,
} from './bench-audit-fixtures-more.mjs';
import { faintGlyphs, noDefects, randomLabels, textGarbage } from './bench-audit-fixtures-real.mjs';
import { splitsOf, textTimings } from './bench-audit-store.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// BENCH_CLI: another build's CLI, to measure the same fixtures before a change.
const cli = process.env.BENCH_CLI ?? path.join(repo, 'out', 'main', 'cli.js');

function option(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}
// One size by default, so a default run reaches every fixture in reasonable time; 50000 is a
// scale check to ask for.
const sizes = option('sizes', '10000').split(',').filter(Boolean).map(Number);
// The issue-13 fixtures (no defects, random labels, faint glyphs, text garbage), this many items.
const realSize = Number(option('real-size', '1500'));
const noise = Number(option('noise', '0.03'));
// The digit fixture's seed: other seeds draw other digits and other defects, to check figures on
// data the audit was not tuned on.
const fixtureSeed = Number(option('seed', '42'));
// Texts per topic folder of topic-labels and random-topics (8 folders): 375 times the word model at 3,000.
const perTopic = Number(option('topics-per-folder', '150'));
const FIXTURES = [
  'digits',
  'no-defects',
  'random-labels',
  'faint-glyphs',
  'text-garbage',
  'icon-outliers',
  'digit-near-copies',
  'topic-labels',
  'random-topics',
];
const only = option('only', FIXTURES.join(',')).split(',').filter(Boolean);
const unknown = only.filter((name) => !FIXTURES.includes(name));
if (unknown.length) {
  process.stderr.write(`Unknown fixture ${unknown.join(', ')}; known: ${FIXTURES.join(', ')}.\n`);
  process.exit(2);
}
const wanted = (name) => only.includes(name);
const work = path.resolve(option('work', path.join(os.tmpdir(), 'studio-bench-audit')));
const keep = process.argv.includes('--keep') || process.argv.includes('--reuse');
// --reuse: audit the fixture and data dir a --keep run left, without building or importing again.
const reuse = process.argv.includes('--reuse');

function run(args, env = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${args.join(' ')} exited ${code}\n${stderr.slice(-2000)}`));
      else resolve({ stdout, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const pairKey = (a, b) => (a < b ? `${a}\n${b}` : `${b}\n${a}`);
function pairsOf(groups) {
  const pairs = new Set();
  for (const g of groups)
    for (let i = 0; i < g.length; i++)
      for (let j = i + 1; j < g.length; j++) pairs.add(pairKey(g[i], g[j]));
  return pairs;
}
function pr(predicted, truth) {
  let hit = 0;
  for (const p of predicted) if (truth.has(p)) hit++;
  return {
    predicted: predicted.size,
    truth: truth.size,
    precision: predicted.size ? hit / predicted.size : truth.size ? 0 : 1,
    recall: truth.size ? hit / truth.size : 1,
  };
}

function score(truth, audit, splits, fixture) {
  const rel = (p) => path.relative(fixture, p).split(path.sep).join('/');
  const ofType = (type) => audit.findings.filter((f) => f.type === type);
  const rows = {};
  const acted = (f) =>
    f.items
      .filter((m) => ['subject', 'duplicate', 'leak'].includes(m.role))
      .map((m) => rel(m.sourcePath));

  rows['exact-duplicate (pairs)'] = pr(
    pairsOf(ofType('exact-duplicate').map((f) => f.paths.map(rel))),
    pairsOf(truth.exactGroups),
  );
  const nearTruth = pairsOf(truth.nearGroups.map((g) => g.paths));
  rows['near-duplicate (pairs)'] = pr(
    pairsOf(ofType('near-duplicate').map((f) => f.paths.map(rel))),
    nearTruth,
  );
  rows['corrupt (files)'] = pr(
    new Set(ofType('corrupt').flatMap((f) => f.paths.map(rel))),
    new Set(truth.corrupt),
  );
  rows['blank (items)'] = pr(new Set(ofType('blank').flatMap(acted)), new Set(truth.blank));
  rows['outlier (items)'] = pr(new Set(ofType('outlier').flatMap(acted)), new Set(truth.outliers));

  // Label errors: items injected as other defects (shapes, inverted digits, transparent or colour
  // digits) are left out of the count either way: "this shape is not a 4" is not wrong, but it is
  // not what this row measures.
  const otherDefects = new Set([
    ...truth.outliers,
    ...truth.transparent,
    ...truth.channel,
    ...truth.blank,
  ]);
  const labelTruth = new Map(truth.labelErrors.map((e) => [e.path, e.trueLabel]));
  const labelFound = ofType('label-error').map((f) => ({
    path: rel(f.paths[0]),
    suggested: f.suggestedLabel,
  }));
  rows['label-error (items)'] = pr(
    new Set(labelFound.map((l) => l.path).filter((p) => !otherDefects.has(p))),
    new Set(labelTruth.keys()),
  );
  const caught = labelFound.filter((l) => labelTruth.has(l.path));
  const rightSuggestion = caught.filter((l) => labelTruth.get(l.path) === l.suggested).length;

  // Leakage: the validation members of injected copy groups that also have a training member.
  const leakTruth = new Set();
  for (const g of [...truth.exactGroups, ...truth.nearGroups.map((n) => n.paths)]) {
    const sides = g.map((p) => splits.get(p));
    if (sides.includes('train') && sides.includes('validation'))
      g.filter((p) => splits.get(p) === 'validation').forEach((p) => leakTruth.add(p));
  }
  rows['leakage (items)'] = pr(
    new Set(
      ofType('leakage').flatMap((f) =>
        f.items.filter((m) => m.role === 'leak').map((m) => rel(m.sourcePath)),
      ),
    ),
    leakTruth,
  );

  const small = new Set(
    ofType('class-imbalance')
      .filter((f) => f.detail === 'small-class')
      .map((f) => f.suggestedLabel),
  );
  rows['class-imbalance (classes)'] = pr(small, new Set([truth.smallClass]));
  const missing = ofType('missing');
  rows['missing: unlabeled+channel (items)'] = pr(
    new Set(
      missing
        .filter((f) => ['unlabeled', 'colour-channels', 'alpha-channel'].includes(f.detail))
        .flatMap(acted),
    ),
    new Set([...truth.unlabeled, ...truth.channel]),
  );
  rows['missing: empty class (classes)'] = pr(
    new Set(missing.filter((f) => f.detail === 'empty-class').map((f) => f.suggestedLabel)),
    new Set(truth.emptyClasses),
  );
  const flagged = new Set(
    [...ofType('blank'), ...ofType('corrupt')].flatMap((f) => f.paths.map(rel)),
  );
  const transparentAlarms = truth.transparent.filter((p) => flagged.has(p)).length;
  return {
    rows,
    labelSuggestions: { caught: caught.length, right: rightSuggestion },
    transparentAlarms,
    transparent: truth.transparent.length,
  };
}

const fmt = (x) => x.toFixed(3);

async function benchSize(size) {
  const fixture = path.join(work, `fixture-${size}`);
  const dataDir = path.join(work, `data-${size}`);
  const truthFile = path.join(work, `truth-${size}.json`);
  let truth;
  let buildSeconds = 0;
  let importSeconds = 0;
  let datasetId = 1;
  if (reuse && existsSync(truthFile)) {
    truth = JSON.parse(readFileSync(truthFile, 'utf8'));
  } else {
    await rm(dataDir, { recursive: true, force: true });
    const t = Date.now();
    truth = await buildFixture(fixture, size, { labelNoise: noise, seed: fixtureSeed });
    buildSeconds = (Date.now() - t) / 1000;
    writeFileSync(truthFile, JSON.stringify(truth));
    const imported = await run([cli, '--data-dir', dataDir, 'import', fixture, '--json']);
    datasetId = JSON.parse(imported.stdout).datasetId;
    importSeconds = imported.seconds;
  }
  const rssFile = path.join(work, `rss-${size}`);
  const audited = await run(
    [
      '--require',
      path.join(repo, 'scripts', 'bench-rss.cjs'),
      cli,
      '--data-dir',
      dataDir,
      'audit',
      String(datasetId),
      '--json',
    ],
    { BENCH_RSS_FILE: rssFile },
  );
  const audit = JSON.parse(audited.stdout);
  const peak = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
  // A second audit with nothing changed: every feature comes from the cache.
  const again = await run([cli, '--data-dir', dataDir, 'audit', String(datasetId), '--json']);
  const cachedSeconds = JSON.parse(again.stdout).durationMs / 1000;
  const result = score(truth, audit, splitsOf(dataDir, datasetId, fixture), fixture);
  if (!keep) await rm(work, { recursive: true, force: true });
  return {
    size,
    files: truth.files,
    items: audit.itemCount,
    buildSeconds,
    importSeconds,
    auditSeconds: audit.durationMs / 1000,
    auditProcessSeconds: audited.seconds,
    cachedSeconds,
    peakMb: peak / 2 ** 20,
    score: audit.score,
    notices: audit.notices ?? [],
    result,
  };
}

if (!existsSync(cli)) {
  process.stderr.write('bench:audit needs the build: run `npx electron-vite build` first.\n');
  process.exit(1);
}
const results = [];
for (const size of wanted('digits') ? sizes : []) {
  process.stderr.write(
    `Building, importing and auditing the ${size.toLocaleString('en')}-digit fixture…\n`,
  );
  results.push(await benchSize(size));
}
for (const r of results) {
  console.log(
    `\n## ${r.size.toLocaleString('en')} digits (${r.files} files, ${r.items} items after import), label noise ${(noise * 100).toFixed(0)}%`,
  );
  console.log('| finding type | predicted | injected | precision | recall |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [type, row] of Object.entries(r.result.rows))
    console.log(
      `| ${type} | ${row.predicted} | ${row.truth} | ${fmt(row.precision)} | ${fmt(row.recall)} |`,
    );
  const s = r.result.labelSuggestions;
  console.log(
    `\nSuggested label right for ${s.right} of ${s.caught} caught label errors; blank/corrupt alarms on ${r.result.transparentAlarms} of ${r.result.transparent} valid transparent images; quality score ${r.score}/100.`,
  );
  console.log(
    r.notices.map((n) => `Notice (${n.check}): ${n.message}\n`).join('') +
      `Audit ${r.auditSeconds.toFixed(1)} s (process ${r.auditProcessSeconds.toFixed(1)} s), peak RSS ${r.peakMb.toFixed(0)} MiB; re-audit from the feature cache ${r.cachedSeconds.toFixed(1)} s. (Fixture ${r.buildSeconds.toFixed(0)} s, import ${r.importSeconds.toFixed(0)} s, not counted.)`,
  );
}

async function auditFolder(name, build) {
  const fixture = path.join(work, `real-${name}`);
  const dataDir = path.join(work, `real-data-${name}`);
  await rm(dataDir, { recursive: true, force: true });
  const truth = await build(fixture);
  const imported = await run([cli, '--data-dir', dataDir, 'import', fixture, '--json']);
  const { datasetId } = JSON.parse(imported.stdout);
  const audited = await run([cli, '--data-dir', dataDir, 'audit', String(datasetId), '--json']);
  const audit = JSON.parse(audited.stdout);
  audit.textTimings = textTimings(dataDir, audit.auditId);
  const rel = (p) => path.relative(fixture, p.split('#')[0]).split(path.sep).join('/');
  const subjects = (types) =>
    new Set(
      audit.findings
        .filter((f) => types.includes(f.type))
        .flatMap((f) => f.items.filter((m) => ['subject', 'duplicate', 'leak'].includes(m.role)))
        .map((m) => rel(m.sourcePath)),
    );
  if (!keep) {
    await rm(fixture, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
  return { truth, audit, subjects, rel };
}

function byType(audit) {
  const counts = {};
  for (const f of audit.findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return Object.entries(counts)
    .map(([t, c]) => `${t} ${c}`)
    .join(', ');
}

function printRows(rows) {
  console.log('| finding type | predicted | injected | precision | recall |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const [type, row] of Object.entries(rows))
    console.log(
      `| ${type} | ${row.predicted} | ${row.truth} | ${fmt(row.precision)} | ${fmt(row.recall)} |`,
    );
}

function printNotices(audit) {
  for (const n of audit.notices ?? []) console.log(`Notice (${n.check}): ${n.message}`);
}

if (realSize > 0) {
  const realResults = [];
  process.stderr.write(`Auditing the issue-13 fixtures (${realSize} items each)…\n`);
  const builders = {
    'no-defects': (f) => noDefects(f, realSize),
    'random-labels': (f) => randomLabels(f, realSize),
    'faint-glyphs': (f) => faintGlyphs(f, realSize),
    'text-garbage': (f) => textGarbage(f, repo, realSize / 3),
    'icon-outliers': iconsAvailable() ? (f) => iconOutliers(f) : null,
    'digit-near-copies': (f) => digitNearCopies(f, realSize),
    'topic-labels': manPagesAvailable() ? (f) => topicTexts(f, { perTopic }) : null,
    'random-topics': manPagesAvailable()
      ? (f) => topicTexts(f, { perTopic, randomLabels: true })
      : null,
  };
  for (const [name, build] of Object.entries(builders)) {
    if (!wanted(name)) continue;
    if (!build) {
      process.stderr.write(`Skipping ${name}: its source data is not installed.\n`);
      continue;
    }
    realResults.push([name, await auditFolder(name, build)]);
  }
  for (const [name, { truth, audit, subjects, rel }] of realResults) {
    const items = audit.itemCount;
    console.log(
      `\n## ${name} (${truth.files} files, ${items} items), quality score ${audit.score}/100`,
    );
    if (name === 'no-defects') {
      const flagged = subjects(audit.findings.map((f) => f.type));
      console.log(
        `Nothing injected: ${audit.findings.length} findings, all false alarms (${byType(audit) || 'none'}); ${flagged.size} items flagged (${((100 * flagged.size) / items).toFixed(1)}%).`,
      );
    } else if (name === 'random-labels') {
      const flagged = subjects(['label-error']);
      console.log(
        `Labels unlearnable: ${flagged.size} items called label errors (${((100 * flagged.size) / items).toFixed(1)}% of items; target ≤ 2%). All findings: ${byType(audit) || 'none'}.`,
      );
    } else if (name === 'faint-glyphs') {
      const blank = subjects(['blank', 'corrupt']);
      printRows({ 'blank (items)': pr(blank, new Set(truth.blank)) });
      const alarms = truth.faint.filter((p) => blank.has(p)).length;
      console.log(
        `Visible semi-transparent glyphs called blank: ${alarms} of ${truth.faint.length}.`,
      );
    } else if (name === 'topic-labels') {
      const found = audit.findings.filter((f) => f.type === 'label-error');
      const truthMap = new Map(truth.labelErrors.map((e) => [e.rel, e.trueLabel]));
      printRows({
        'label-error (items)': pr(
          new Set(found.map((f) => rel(f.paths[0]))),
          new Set(truthMap.keys()),
        ),
      });
      const right = found.filter((f) => truthMap.get(rel(f.paths[0])) === f.suggestedLabel);
      console.log(
        `Suggested topic right for ${right.length} of ${found.length}. All findings: ${byType(audit) || 'none'}.`,
      );
      const t = audit.textTimings;
      if (t?.wordModelMs !== undefined)
        console.log(
          `Word model: TF-IDF ${(t.wordFeaturesMs / 1000).toFixed(1)} s, out-of-fold logistic ${(t.wordModelMs / 1000).toFixed(1)} s, of the audit's ${(audit.durationMs / 1000).toFixed(1)} s.`,
        );
    } else if (name === 'random-topics') {
      const flagged = subjects(['label-error']);
      console.log(
        `Topics unlearnable: ${flagged.size} items called label errors (${((100 * flagged.size) / items).toFixed(1)}% of items; target ≤ 2%). All findings: ${byType(audit) || 'none'}.`,
      );
    } else if (name === 'icon-outliers') {
      printRows({ 'outlier (items)': pr(subjects(['outlier']), new Set(truth.outliers)) });
      console.log(`All findings: ${byType(audit) || 'none'}.`);
    } else if (name === 'digit-near-copies') {
      const near = audit.findings.filter((f) => f.type === 'near-duplicate');
      printRows({
        'near-duplicate (pairs)': pr(
          pairsOf(near.map((f) => f.paths.map(rel))),
          pairsOf(truth.nearGroups.map((g) => g.paths)),
        ),
      });
      console.log(`All findings: ${byType(audit) || 'none'}.`);
    } else {
      const flagged = subjects(['text-charset', 'corrupt', 'blank']);
      const rows = {
        'text garbage (items)': pr(flagged, new Set(truth.garbage.map((g) => g.rel))),
      };
      for (const kind of new Set(truth.garbage.map((g) => g.kind)))
        rows[`  ${kind}`] = pr(
          new Set(
            [...flagged].filter((p) => truth.garbage.some((g) => g.rel === p && g.kind === kind)),
          ),
          new Set(truth.garbage.filter((g) => g.kind === kind).map((g) => g.rel)),
        );
      printRows(rows);
      const badUtf16 = truth.utf16.filter((p) => flagged.has(p)).length;
      console.log(
        `UTF-16 without BOM: ${truth.utf16.length - badUtf16} of ${truth.utf16.length} files read as text (imported ${items} of ${truth.files} files). All findings: ${byType(audit)}.`,
      );
    }
    printNotices(audit);
  }
}
