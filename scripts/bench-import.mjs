// Import benchmark: `npm run bench:import [-- --count 10000 --json --keep]`.
//
// Generates N images (64×64 PNG, 10 class folders) and N text files, then imports each folder
// into a fresh temporary data dir through a real `studio serve` (the built out/main/cli.js, so run
// `npm run build` first), exactly as the app does: POST /api/call/datasets:importFolder. Prints
// files/s, the server's peak RSS, the CPU cores it used while importing, the time until the first
// thumbnail is served by GET /media/thumb/<sha>, the time of a second, unchanged import of the
// same folder (content-addressed: nothing new is stored), and `cp -r` of the same folder in the
// same run as the floor, with the ratio. A script, not a test: figures depend on the machine.
//
// Plain ESM JavaScript on purpose: it runs with bare Node, without a TypeScript build step.

import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const STUDIO_BIN = path.join(REPO, 'bin', 'studio.js');
const CLASSES = 10;
const WORDS = (
  'the a studio model data image text folder train learn sample noise light river stone ' +
  'quiet bright small large early late green blue red north south over under through'
).split(' ');

function parseArgs(argv) {
  const args = { count: 10_000, json: false, keep: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--count') args.count = Number(argv[++i]);
    else if (argv[i] === '--json') args.json = true;
    else if (argv[i] === '--keep') args.keep = true;
    else throw new Error(`Unknown argument ${argv[i]} (use --count N, --json, --keep)`);
  }
  if (!Number.isInteger(args.count) || args.count < CLASSES)
    throw new Error('--count must be a whole number of at least 10');
  return args;
}

/** Deterministic pseudo-random numbers, so every run imports the same bytes. */
function random(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

function imagePath(i) {
  return path.join(`class${i % CLASSES}`, `${String(i).padStart(6, '0')}.png`);
}

async function generateImages(root, count) {
  const jobs = new Set();
  for (let i = 0; i < count; i++) {
    const next = random(i + 1);
    const pixels = Buffer.alloc(64 * 64 * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = ((p % 192) + next() * 64) & 255;
    const file = path.join(root, imagePath(i));
    const job = fs
      .mkdir(path.dirname(file), { recursive: true })
      .then(() =>
        sharp(pixels, { raw: { width: 64, height: 64, channels: 3 } })
          .png()
          .toFile(file),
      )
      .finally(() => jobs.delete(job));
    jobs.add(job);
    if (jobs.size >= 16) await Promise.race(jobs);
  }
  await Promise.all(jobs);
}

async function generateTexts(root, count) {
  for (let c = 0; c < CLASSES; c++)
    await fs.mkdir(path.join(root, `topic${c}`), { recursive: true });
  for (let i = 0; i < count; i++) {
    const next = random(i + 7);
    const sentences = [];
    for (let s = 0; s < 3 + Math.floor(next() * 5); s++) {
      const words = Array.from({ length: 6 + Math.floor(next() * 10) }, () => {
        return WORDS[Math.floor(next() * WORDS.length)];
      });
      sentences.push(`${words.join(' ')}.`);
    }
    const file = path.join(root, `topic${i % CLASSES}`, `${String(i).padStart(6, '0')}.txt`);
    await fs.writeFile(file, `${sentences.join(' ')}\n`);
  }
}

function seconds(ms) {
  return ms / 1000;
}

/** `cp -r` of the folder, best of three: the disk is shared, and one slow copy is not the floor. */
function copyFloor(src, workDir) {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const target = path.join(workDir, `cp-${path.basename(src)}`);
    const started = performance.now();
    execFileSync('cp', ['-r', src, target]);
    best = Math.min(best, performance.now() - started);
    execFileSync('rm', ['-rf', target]);
  }
  return best;
}

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux); null elsewhere. */
function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100;
  } catch {
    return null;
  }
}

/** Resident memory of a process in MB, now (VmRSS) or its peak (VmHWM), from /proc (Linux). */
function rssMb(pid, field = 'VmHWM') {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith(`${field}:`));
    return Number(line.split(/\s+/)[1]) / 1024;
  } catch {
    return null;
  }
}

/** The token of each running server, by its base URL: every request carries it as a bearer. */
const tokens = new Map();

function authorization(url) {
  return { authorization: `Bearer ${tokens.get(url)}` };
}

/** `root` is the folder the benchmark imports by path: the server only reads under its --root. */
function startServer(dataDir, root) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [STUDIO_BIN, 'serve', '--port', '0', '--json', '--data-dir', dataDir, '--root', root],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      try {
        const { url, token } = JSON.parse(stdout);
        const base = new URL('/', url).href;
        tokens.set(base, token);
        resolve({ child, url: base });
      } catch {
        // Not the whole JSON document yet.
      }
    });
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => reject(new Error(`studio serve exited with ${code}: ${stderr}`)));
  });
}

async function stopServer(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function callStudio(url, name, args) {
  const response = await fetch(new URL(`api/call/${name}`, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authorization(url) },
    body: JSON.stringify(args),
  });
  const outcome = await response.json();
  if (!outcome.ok) throw new Error(`${name}: ${outcome.error.message}`);
  return outcome.value;
}

/** Polls the thumbnail route until it serves the image; resolves with the time it took. */
async function firstThumbnail(url, sha, started, stop) {
  while (!stop.done) {
    const response = await fetch(new URL(`media/thumb/${sha}`, url), {
      headers: authorization(url),
    }).catch(() => null);
    if (response?.ok) {
      await response.arrayBuffer();
      return performance.now() - started;
    }
    await response?.arrayBuffer().catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return null;
}

async function benchImport({ label, folder, count, workDir, firstFile }) {
  const floorMs = copyFloor(folder, workDir);
  const dataDir = path.join(workDir, `data-${label}`);
  const { child, url } = await startServer(dataDir, folder);
  try {
    const sha = firstFile
      ? createHash('sha256')
          .update(readFileSync(path.join(folder, firstFile)))
          .digest('hex')
      : null;
    // The server also starts the ML worker thread (tfjs); wait for it, so that its memory is in
    // the figure before the import and the difference is the import's.
    await callStudio(url, 'ml:backend', {});
    const rssBeforeMb = rssMb(child.pid, 'VmRSS');
    const cpuBefore = cpuMs(child.pid);
    const started = performance.now();
    const stop = { done: false };
    const thumb = sha ? firstThumbnail(url, sha, started, stop) : Promise.resolve(null);
    const report = await callStudio(url, 'datasets:importFolder', { path: folder });
    const importMs = performance.now() - started;
    stop.done = true;
    const cpuAfter = cpuMs(child.pid);
    const firstThumbMs = await thumb;
    const peakRssMb = rssMb(child.pid);

    const againStarted = performance.now();
    const again = await callStudio(url, 'datasets:importFolder', { path: folder });
    const againMs = performance.now() - againStarted;
    if (!again.alreadyImported || again.dataset.id !== report.dataset.id)
      throw new Error('The second import of the same folder made a new dataset');
    return {
      label,
      files: count,
      imported: report.importedCount,
      skipped: report.skipped.length,
      importSeconds: seconds(importMs),
      filesPerSecond: count / seconds(importMs),
      rssBeforeMb,
      peakRssMb,
      coresUsed: cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / importMs,
      firstThumbnailSeconds: firstThumbMs === null ? null : seconds(firstThumbMs),
      reimportSeconds: seconds(againMs),
      cpSeconds: seconds(floorMs),
      ratioToCp: importMs / floorMs,
    };
  } finally {
    await stopServer(child);
  }
}

function fixed(value, digits) {
  return value === null ? 'n/a' : value.toFixed(digits);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (!existsSync(path.join(REPO, 'out', 'main', 'cli.js')))
    throw new Error('The studio is not built: run `npm run build` first.');
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'studio-bench-import-'));
  try {
    const images = path.join(workDir, 'images');
    const texts = path.join(workDir, 'texts');
    let started = performance.now();
    await generateImages(images, args.count);
    await generateTexts(texts, args.count);
    if (!args.json)
      process.stderr.write(
        `Generated ${args.count} PNG + ${args.count} text files in ${fixed(seconds(performance.now() - started), 1)} s (${workDir})\n`,
      );
    started = performance.now();
    const results = [
      await benchImport({
        label: 'images',
        folder: images,
        count: args.count,
        workDir,
        firstFile: imagePath(0),
      }),
      await benchImport({
        label: 'text',
        folder: texts,
        count: args.count,
        workDir,
        firstFile: null,
      }),
    ];
    const machine = {
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    };
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ machine, results }, null, 2)}\n`);
      return;
    }
    const lines = [
      `machine: ${machine.cpus} cores, load average ${machine.loadAverage.join(' ')} (shared machines skew every figure)`,
    ];
    for (const r of results) {
      lines.push(
        `${r.label}: ${r.files} files (${r.imported} items, ${r.skipped} skipped) in ${fixed(r.importSeconds, 2)} s = ` +
          `${fixed(r.filesPerSecond, 0)} files/s; server RSS ${fixed(r.rssBeforeMb, 0)} MB before, ` +
          `peak ${fixed(r.peakRssMb, 0)} MB; ` +
          `${fixed(r.coresUsed, 2)} cores busy` +
          (r.firstThumbnailSeconds === null
            ? ''
            : `; first thumbnail served after ${fixed(r.firstThumbnailSeconds * 1000, 0)} ms`),
        `  same folder again: ${fixed(r.reimportSeconds, 2)} s (existing dataset returned, nothing stored)`,
        `  cp -r of the same folder (best of 3): ${fixed(r.cpSeconds, 2)} s; import / cp = ${fixed(r.ratioToCp, 1)}×`,
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (args.keep) process.stderr.write(`Kept ${workDir}\n`);
    else await fs.rm(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench-import: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
